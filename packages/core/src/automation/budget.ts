// Budgets: a per-agent cap enforced from reported cost when the runtime cannot enforce it itself.
export function agentOverBudget(costUsd: number | null | undefined, maxBudgetUsd: number | null | undefined): boolean {
  return maxBudgetUsd != null && maxBudgetUsd > 0 && costUsd != null && costUsd >= maxBudgetUsd;
}

/** Start of the current UTC day: the window of `daily_budget_usd`. */
export function utcDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
