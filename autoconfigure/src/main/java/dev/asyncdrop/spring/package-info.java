/**
 * Spring integration: drops every {@link dev.asyncdrop.AsyncDroppable} bean when the application context closes,
 * in dependency order, in parallel wherever the graph allows, phase by phase inside Spring's lifecycle shutdown.
 */
@NullMarked
package dev.asyncdrop.spring;

import org.jspecify.annotations.NullMarked;
