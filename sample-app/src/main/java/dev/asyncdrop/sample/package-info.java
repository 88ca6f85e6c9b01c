/**
 * The sample application: a write-behind event buffer, its flush executor and a HikariCP pool, dropped in order.
 */
@NullMarked
package dev.asyncdrop.sample;

import org.jspecify.annotations.NullMarked;
