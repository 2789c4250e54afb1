import { Component, onWillStart, useState } from "@odoo/owl";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { deserializeDate, serializeDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * Invoicing > Recovery > Dashboard: a page of its own (no record, no New or Save
 * button). The figures come ready to display, labels translated, from
 * debt.recovery.dashboard.get_dashboard, for the companies of the company switcher.
 */
export class DebtRecoveryDashboard extends Component {
    static template = "l10n_fr_debt_recovery.Dashboard";
    static components = { Layout, DateTimeInput };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, dateFrom: null, dateTo: null });
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call("debt.recovery.dashboard", "get_dashboard", [], {
            date_from: this.state.dateFrom ? serializeDate(this.state.dateFrom) : false,
            date_to: this.state.dateTo ? serializeDate(this.state.dateTo) : false,
        });
        this.state.data = data;
        this.state.dateFrom = deserializeDate(data.date_from);
        this.state.dateTo = deserializeDate(data.date_to);
    }

    async onPeriodChange(which, date) {
        if (!date) {
            return;
        }
        this.state[which] = date;
        if (this.state.dateFrom > this.state.dateTo) {
            // a period runs forwards: the other end follows
            this.state[which === "dateFrom" ? "dateTo" : "dateFrom"] = date;
        }
        await this.load();
    }

    async openList(kind, state = null) {
        const method = {
            overdue: "action_open_overdue_analysis",
            debtors: "action_open_debtors",
            cases: "action_open_cases",
        }[kind];
        const kwargs = state ? { state } : {};
        const action = await this.orm.call("debt.recovery.dashboard", method, [[]], kwargs);
        return this.actionService.doAction(action);
    }

    async openDebtor(debtor) {
        const action = await this.orm.call("debt.recovery.debtor.report", "action_open_invoices", [
            [debtor.id],
        ]);
        return this.actionService.doAction(action);
    }

    badgeClass(state) {
        return (
            {
                running: "text-bg-info",
                paused: "text-bg-warning",
                case: "text-bg-warning",
                suspended: "text-bg-warning",
                disputed: "text-bg-danger",
                insolvency: "text-bg-danger",
                blocked: "text-bg-secondary",
                agency: "text-bg-secondary",
            }[state] || "text-bg-light"
        );
    }
}

registry.category("actions").add("l10n_fr_debt_recovery.dashboard", DebtRecoveryDashboard);
