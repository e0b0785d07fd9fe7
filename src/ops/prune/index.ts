// Prune backend: planPrune (pure) / snapshotEngine / executePrune. The dashboard shows
// formatPlan(plan) or its own view of plan.items, asks, then calls executePrune.
export { planPrune, snapshotEngine, executePrune, PRUNE_KINDS, type PruneKind, type PrunePlan, type PruneItem, type KeptItem, type PruneContext, type PruneOutcome, type PruneProgress, type EngineSnapshot } from './plan.js';
export { formatPlan, parseKinds } from './run.js';
