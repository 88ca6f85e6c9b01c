/**
 * Implementation of the drop coordinator: what a builder collects ({@code PlanSpec}), its validation in stages into
 * a compact graph, the compiled plan, the execution of its phases, the event-driven schedule of each phase, and the
 * lanes that call each listener off the schedule's threads. Not API: anything here may change in any release.
 */
@NullMarked
package dev.asyncdrop.internal.coordinator;

import org.jspecify.annotations.NullMarked;
