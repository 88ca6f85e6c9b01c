/**
 * The sample application: a write-behind event buffer on Spring Boot's executor and HikariCP pool, dropped in order.
 */
@NullMarked
package dev.asyncdrop.sample;

import org.jspecify.annotations.NullMarked;
