/**
 * Auto-configuration for async-drop: dropping async-droppable beans at shutdown, and its configuration properties.
 */
@NullMarked
package dev.asyncdrop.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
