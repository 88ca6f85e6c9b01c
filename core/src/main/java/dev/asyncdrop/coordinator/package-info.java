/**
 * Dependency-ordered drops: a {@link dev.asyncdrop.coordinator.DropPlan} drops many resources in parallel wherever
 * the dependency graph allows, phase by phase, each phase bounded by a timeout, and reports what happened.
 */
@NullMarked
package dev.asyncdrop.coordinator;

import org.jspecify.annotations.NullMarked;
