/**
 * Implementation of the drop coordinator: the validated dependency graph and the event-driven phase schedule.
 * Not API: anything here may change in any release.
 */
@NullMarked
package dev.asyncdrop.internal.coordinator;

import org.jspecify.annotations.NullMarked;
