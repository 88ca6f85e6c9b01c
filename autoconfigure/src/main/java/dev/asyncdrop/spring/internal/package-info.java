/**
 * Implementation of the Spring integration. Not API: anything here may change in any release.
 * <p>
 * One collaborator per job, wired by {@link dev.asyncdrop.spring.internal.ContextDropCoordinator}:
 * <ul>
 * <li>{@link dev.asyncdrop.spring.internal.BeanDropPostProcessor} tells it about each bean as it is created;</li>
 * <li>{@code BeanDropRegistry} collects the droppable singletons for the plan, and hands later ones to the
 * {@code ScopeTracker}, which tracks them in the context's {@code AsyncDropScope};</li>
 * <li>{@code DropCandidates} decides which beans are dropped and how: itself, or through a {@code DropAdapter} that
 * makes an {@code AdaptedDrop} of it ({@code TaskExecutorDrops} for Spring's executors, an
 * {@code ExecutorServiceDrop} watched by a {@code TerminationWatch}, a {@code SimpleAsyncExecutorDrop}, or a
 * {@code BlockingDrop}: {@code AutoCloseableDrop}); {@code AdaptedBeanDestruction} keeps Spring from
 * closing an adapted bean a second time;</li>
 * <li>{@code DropPlanner} turns the beans into a {@code DropPlan}, reading a {@code BeanDependencyGraph} (ordered
 * within each phase by {@code TierEdges} where nothing explicit does) and explaining what is wrong with it through
 * {@code DropPlanProblems}, and warning through {@code UnorderedExecutors} about executors it cannot order;</li>
 * <li>{@code ContextShutdown} holds the context's shutdown state and drops each phase when its
 * {@code DropPhaseLifecycle} is stopped at close; {@code ShutdownReportPublisher} publishes the report once;</li>
 * <li>{@code DropBeforeDestruction}, one destruction callback for all droppable singletons, drops what is still due
 * before any of them is destroyed, after a failed refresh in particular;</li>
 * <li>{@code DropLog} writes the log lines, {@link dev.asyncdrop.spring.internal.DropSettings} holds the
 * configuration, and {@link dev.asyncdrop.spring.internal.LeakDetectionLevelOverride} sets the JVM-wide leak
 * detection level while a context lives.</li>
 * </ul>
 */
@NullMarked
package dev.asyncdrop.spring.internal;

import org.jspecify.annotations.NullMarked;
