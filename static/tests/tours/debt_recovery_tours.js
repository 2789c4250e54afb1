import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/* Tours run by tests/test_tours.py, as an accountant (lang en_US). */

const ROOT_MENU = "l10n_fr_debt_recovery.menu_debt_recovery_root";

/** Text of an element, including the body of an iframe it holds (the HTML viewer may use one). */
function textOf(el) {
    let text = el.textContent || "";
    for (const iframe of el.querySelectorAll("iframe")) {
        text += " " + (iframe.contentDocument?.body?.textContent || "");
    }
    return text.replace(/\s+/g, " ");
}

/** Open a menu under Invoicing > Recovery. */
function openRecoveryMenu(menuXmlid, content) {
    return [
        {
            content: "Open the Recovery menu",
            trigger: `.o_main_navbar .o_menu_sections button[data-menu-xmlid="${ROOT_MENU}"]`,
            run: "click",
        },
        {
            content,
            trigger: `.dropdown-menu .dropdown-item[data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
    ];
}

// 1. From the overdue invoice: Remind, Preview, Back, Send now, the chatter shows the reminder.
registry.category("web_tour.tours").add("l10n_fr_debt_recovery_remind", {
    steps: () => {
        let invoiceName = "";
        return [
            {
                content: "The overdue invoice is open and posted",
                trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=posted]",
            },
            {
                content: "Note the invoice number",
                trigger: ".o_form_view .o_field_widget[name=name]:not(:empty)",
                run() {
                    invoiceName = this.anchor.textContent.trim();
                    if (!invoiceName || invoiceName === "/") {
                        throw new Error(`The invoice has no number: "${invoiceName}"`);
                    }
                },
            },
            {
                content: "Click Remind",
                trigger: ".o_form_view .o_statusbar_buttons button[name=action_recovery_remind]",
                run: "click",
            },
            {
                content: "The Remind wizard shows one line, for the debtor",
                trigger: ".modal .o_field_widget[name=line_ids] .o_data_row td[name=partner_id]:contains(Boulangerie Martin SAS)",
                run() {
                    const rows = this.anchor.closest("tbody").querySelectorAll(".o_data_row");
                    if (rows.length !== 1) {
                        throw new Error(`The wizard shows ${rows.length} lines instead of 1`);
                    }
                },
            },
            {
                content: "The step proposed is the courteous reminder, by e-mail",
                trigger:
                    ".modal .o_field_widget[name=line_ids] .o_data_row td[name=step_id]:contains(Courteous reminder)",
            },
            {
                content: "Open the line's Preview",
                trigger: ".modal .o_field_widget[name=line_ids] .o_data_row button[name=action_preview]",
                run: "click",
            },
            {
                content: "The preview is open",
                trigger: ".modal:not(.o_inactive_modal) button[name=action_back]",
            },
            {
                content: "The preview shows the invoice number and the debtor's address",
                trigger: ".modal:not(.o_inactive_modal) .o_field_widget[name=preview_body]:contains(contact@boulangerie-martin.fr)",
                run() {
                    const text = textOf(this.anchor);
                    if (!text.includes(invoiceName)) {
                        throw new Error(`The preview does not show the invoice ${invoiceName}: ${text.slice(0, 500)}`);
                    }
                },
            },
            {
                content: "Back to the wizard",
                trigger: ".modal:not(.o_inactive_modal) button[name=action_back]",
                run: "click",
            },
            {
                content: "Send now",
                trigger: ".modal:not(.o_inactive_modal) .modal-footer button[name=action_send]",
                run: "click",
            },
            {
                content: "The wizard is closed and a notification confirms the reminder",
                trigger: "body:not(:has(.modal)) .o_notification:contains(sent for 1 invoice)",
            },
            {
                content: "The invoice's chatter shows the reminder",
                trigger: ".o-mail-Chatter .o-mail-Message-body:contains(Reminder):contains(Courteous reminder)",
            },
            {
                content: "The Reminders smart button counts the event",
                trigger: ".o_form_view .oe_stat_button[name=action_open_recovery_events]",
            },
        ];
    },
});

// 2. Invoicing > Recovery > Overdue invoices, then the recovery history.
registry.category("web_tour.tours").add("l10n_fr_debt_recovery_menus", {
    steps: () => [
        ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
        ...openRecoveryMenu("l10n_fr_debt_recovery.menu_debt_recovery_invoices", "Open Overdue invoices"),
        {
            content: "The overdue invoices list is shown",
            trigger: ".o_breadcrumb:contains(Overdue invoices)",
        },
        {
            content: "The list shows the overdue invoice of the debtor, at the courteous step",
            trigger:
                ".o_list_view .o_data_row:has(td[name=commercial_partner_id]:contains(Boulangerie Martin SAS)) td[name=recovery_step_id]:contains(Courteous reminder)",
        },
        ...openRecoveryMenu("l10n_fr_debt_recovery.menu_debt_recovery_events", "Open Recovery history"),
        {
            content: "The recovery history is shown",
            trigger: ".o_breadcrumb:contains(Recovery history)",
        },
        {
            content: "The history shows the courteous reminder sent to the debtor",
            trigger:
                ".o_list_view .o_data_row:has(td[name=partner_id]:contains(Boulangerie Martin SAS)) td[name=step_id]:contains(Courteous reminder)",
        },
        ...openRecoveryMenu("l10n_fr_debt_recovery.menu_debt_recovery_dashboard", "Open the dashboard"),
        {
            content: "The dashboard shows the overdue figures",
            trigger: ".o_form_view .o_field_widget[name=overdue_amount]",
        },
        {
            content: "Open the debtors ranking from the dashboard",
            trigger: "button[name=action_open_debtors]",
            run: "click",
        },
        {
            content: "The debtor is ranked",
            trigger: ".o_list_view .o_data_row:contains(Boulangerie Martin SAS)",
        },
    ],
});
