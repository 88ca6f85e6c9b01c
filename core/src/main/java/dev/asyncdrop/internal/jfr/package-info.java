/**
 * JDK Flight Recorder events of drops ({@code dev.asyncdrop.Drop}, {@code dev.asyncdrop.DropPhase} and
 * {@code dev.asyncdrop.GuardDrop}), committed by the coordinator and the guards without any dependency beyond the
 * JDK's {@code jdk.jfr} module, and left alone when that module is missing from the runtime. Not API: anything here
 * may change in any release, except the events' names and fields.
 */
@NullMarked
package dev.asyncdrop.internal.jfr;

import org.jspecify.annotations.NullMarked;
