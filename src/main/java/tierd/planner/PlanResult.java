package tierd.planner;

/** A plan and the planner state to pass to the next cycle. */
public record PlanResult(MigrationPlan plan, PlannerState next) {}
