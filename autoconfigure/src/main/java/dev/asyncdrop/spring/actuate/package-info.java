/**
 * The {@code asyncdrop} actuator endpoint: the drop plan, live guards, leaks and the last shutdown.
 */
@NullMarked
package dev.asyncdrop.spring.actuate;

import org.jspecify.annotations.NullMarked;
