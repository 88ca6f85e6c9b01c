/**
 * Build and execute time of large {@code DropPlan}s whose drops complete at once: the coordinator's own overhead.
 */
@NullMarked
package dev.asyncdrop.benchmarks.scale;

import org.jspecify.annotations.NullMarked;
