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
                content: "The wizard is closed and a notification says the e-mail is queued, not sent",
                trigger: "body:not(:has(.modal)) .o_notification:contains(e-mail):contains(queued):contains(for 1 invoice)",
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
            trigger: ".o_debt_recovery_dashboard .o_recovery_section_overdue tr[data-name=overdue_amount]",
        },
        {
            content: "Open the debtors ranking from the dashboard",
            trigger: ".o_debt_recovery_dashboard button.o_recovery_open_debtors",
            run: "click",
        },
        {
            content: "The debtor is ranked",
            trigger: ".o_list_view .o_data_row:contains(Boulangerie Martin SAS)",
        },
    ],
});

/** Fail with what the screen shows. */
function fail(message) {
    throw new Error(message);
}

// 3. The dashboard is a page: a title, no record, no New/Save, case states translated (user in French).
registry.category("web_tour.tours").add("l10n_fr_debt_recovery_dashboard", {
    steps: () => [
        ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
        ...openRecoveryMenu("l10n_fr_debt_recovery.menu_debt_recovery_dashboard", "Open the dashboard"),
        {
            content: "The dashboard page is shown with its figures",
            trigger: ".o_debt_recovery_dashboard .o_recovery_section_overdue tr[data-name=overdue_amount]",
        },
        {
            content: "Its title is the action's name, not a record's",
            trigger: ".o_debt_recovery_dashboard .o_control_panel .o_breadcrumb .active",
            run() {
                const title = this.anchor.textContent.trim();
                if (!/^(Tableau de bord du recouvrement|Recovery Dashboard)$/.test(title)) {
                    fail(`The dashboard's title is "${title}"`);
                }
            },
        },
        {
            content: "No New, Save or Discard button, no record in the page",
            trigger: ".o_debt_recovery_dashboard .o_control_panel",
            run() {
                const buttons = document.querySelectorAll(
                    ".o_form_button_create, .o_form_button_save, .o_form_button_cancel, .o_list_button_add, .o-kanban-button-new, .o_form_view"
                );
                if (buttons.length) {
                    fail(`The dashboard shows ${buttons.length} record button(s) or form(s)`);
                }
                const text = document.querySelector(".o_action_manager").textContent;
                if (/NewId|debt\.recovery\.dashboard/.test(text)) {
                    fail(`The dashboard shows a technical name: ${text.slice(0, 200)}`);
                }
            },
        },
        {
            content: "The open case's state is translated",
            trigger: ".o_recovery_cases .o_recovery_case_state[data-state=draft]:contains(Brouillon)",
            run() {
                if (/\bDraft\b/.test(this.anchor.closest(".o_recovery_cases").textContent)) {
                    fail("A case state is shown untranslated");
                }
            },
        },
        {
            content: "The state opens the cases in that state",
            trigger: ".o_recovery_cases .o_recovery_case_state[data-state=draft]",
            run: "click",
        },
        {
            content: "The debtor's case is listed",
            trigger: ".o_kanban_view .o_kanban_record:contains(Garage Petit SARL)",
        },
    ],
});

/** The list opened from a debtor shows that debtor's invoices only, under its name. */
function checkOnlyDebtor(debtor) {
    const title = document.querySelector(".o_breadcrumb .active").textContent;
    if (!title.includes(debtor)) {
        fail(`The list opened for ${debtor} is titled "${title}"`);
    }
    const names = [...document.querySelectorAll(".o_list_view .o_data_row td[name=commercial_partner_id]")].map(
        (cell) => cell.textContent.trim()
    );
    if (names.some((name) => name !== debtor)) {
        fail(`The list opened for ${debtor} shows ${names.join(", ")}`);
    }
}

// 4. The debtors ranking: a click on a debtor opens its invoices; the dashboard's list too.
registry.category("web_tour.tours").add("l10n_fr_debt_recovery_debtors", {
    steps: () => [
        ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
        ...openRecoveryMenu("l10n_fr_debt_recovery.menu_debt_recovery_debtor_report", "Open Debtors"),
        {
            content: "A next date in the past reads Due now",
            trigger:
                ".o_list_view .o_data_row:has(td[name=partner_id]:contains(Boulangerie Martin SAS)) td[name=next_action]:contains(Due now)",
        },
        {
            content: "Click the debtor's row",
            trigger: ".o_list_view .o_data_row td[name=partner_id]:contains(Boulangerie Martin SAS)",
            run: "click",
        },
        {
            content: "The debtor's invoices are listed, and only them",
            trigger: ".o_list_view .o_data_row td[name=commercial_partner_id]:contains(Boulangerie Martin SAS)",
            run() {
                checkOnlyDebtor("Boulangerie Martin SAS");
            },
        },
        ...openRecoveryMenu("l10n_fr_debt_recovery.menu_debt_recovery_dashboard", "Open the dashboard"),
        {
            content: "Click the debtor in the dashboard's list",
            trigger: ".o_recovery_top_debtors .o_recovery_debtor:contains(Garage Petit SARL)",
            run: "click",
        },
        {
            content: "Its invoices are listed",
            trigger: ".o_list_view .o_data_row td[name=commercial_partner_id]:contains(Garage Petit SARL)",
            run() {
                checkOnlyDebtor("Garage Petit SARL");
            },
        },
    ],
});

// 5. A customer marked Never remind: its invoice says so, with no next date.
registry.category("web_tour.tours").add("l10n_fr_debt_recovery_blocked", {
    steps: () => [
        {
            content: "The invoice of the customer never reminded is open",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=posted]",
        },
        {
            content: "A banner says the customer is never reminded",
            trigger: ".o_form_view .alert:contains(Never remind)",
        },
        {
            content: "Open the Recovery tab",
            trigger: ".o_form_view .o_notebook .nav-link[name=debt_recovery]",
            run: "click",
        },
        {
            content: "The recovery status says Never remind, and no next action is shown",
            trigger: ".o_form_view .o_field_widget[name=recovery_display_state]:contains(Never remind)",
            run() {
                if (document.querySelector(".o_form_view .o_field_widget[name=recovery_next_action]")) {
                    fail("A next action is shown for a customer never reminded");
                }
            },
        },
        ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
        ...openRecoveryMenu("l10n_fr_debt_recovery.menu_debt_recovery_invoices", "Open Overdue invoices"),
        {
            content: "In the list too: Never remind, no past date",
            trigger:
                ".o_list_view .o_data_row:has(td[name=commercial_partner_id]:contains(Transports Girard SA)) td[name=recovery_display_state]:contains(Never remind)",
            run() {
                const row = this.anchor.closest(".o_data_row");
                const next = row.querySelector("td[name=recovery_next_action]").textContent.trim();
                if (next) {
                    fail(`The list shows a next action for the customer never reminded: ${next}`);
                }
            },
        },
        {
            content: "The other customer's past date reads Due now",
            trigger:
                ".o_list_view .o_data_row:has(td[name=commercial_partner_id]:contains(Boulangerie Martin SAS)) td[name=recovery_next_action]:contains(Due now)",
        },
    ],
});
