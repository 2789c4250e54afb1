import { registry } from "@web/core/registry";

/* The debtor on its page (opened from the link of a reminder, no account): contests the
   first invoice with a document, promises to pay the second, asks for a payment plan, then
   pays online with the demo provider. Run by tests/test_debtor_portal_tour.py. */

function isoDate(daysFromToday) {
    const date = new Date();
    date.setDate(date.getDate() + daysFromToday);
    return date.toISOString().slice(0, 10);
}

registry.category("web_tour.tours").add("l10n_fr_debt_recovery_debtor", {
    steps: () => [
        {
            content: "The page lists the two invoices due",
            trigger: ".o_recovery_invoices tbody tr:nth-child(2)[data-invoice]",
        },
        {
            content: "Contest the first invoice: reason",
            trigger: ".o_recovery_dispute_form select[name=reason]",
            run: "select amount",
        },
        {
            content: "Comment",
            trigger: ".o_recovery_dispute_form textarea[name=comment]",
            run: "edit Le montant ne correspond pas au devis.",
        },
        {
            content: "Attach the quotation",
            trigger: ".o_recovery_dispute_form input[name=attachments]",
            run() {
                const files = new DataTransfer();
                files.items.add(new File(["%PDF-1.4\n% devis signé\n%%EOF\n"], "devis.pdf", { type: "application/pdf" }));
                this.anchor.files = files.files;
            },
        },
        {
            content: "Send the dispute",
            trigger: ".o_recovery_dispute_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dispute is recorded; the contested invoice says so",
            trigger: ".o_recovery_invoices .badge:contains(Contested)",
        },
        {
            content: "Promise to pay the other invoice in 10 days",
            trigger: ".o_recovery_promise_form input[name=date]",
            run() {
                this.anchor.value = isoDate(10);
            },
        },
        {
            content: "Amount promised",
            trigger: ".o_recovery_promise_form input[name=amount]",
            run: "edit 150",
        },
        {
            content: "Send the promise",
            trigger: ".o_recovery_promise_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The promise is recorded",
            trigger: ".o_recovery_invoices .badge:contains(Payment promised)",
        },
        {
            content: "Ask for a payment plan in 2 instalments",
            trigger: ".o_recovery_plan_form input[name=count]",
            run: "edit 2",
        },
        {
            content: "Send the request",
            trigger: ".o_recovery_plan_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is sent",
            trigger: ".o_recovery_message",
        },
        {
            content: "Pay online with the demo provider",
            trigger: ".o_recovery_pay_all input[name=o_payment_radio][data-provider-code=demo]",
            run: "click",
        },
        {
            content: "Card number (demo)",
            trigger: ".o_recovery_pay_all input[name=customer_input]",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: ".o_recovery_pay_all button[name=o_payment_submit_button]:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Paid: the debtor lands on the thank-you page",
            trigger: ".o_recovery_thanks",
            timeout: 30000,
        },
    ],
});
