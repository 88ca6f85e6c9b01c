/**
 * Test support for async-drop users: {@link dev.asyncdrop.test.DetectLeaks} fails a JUnit test that leaks a guard,
 * {@link dev.asyncdrop.test.DropAssertions} asserts on drop reports with AssertJ, and
 * {@link dev.asyncdrop.test.ContextShutdown} closes a Spring context and returns the report of its drops.
 */
@NullMarked
package dev.asyncdrop.test;

import org.jspecify.annotations.NullMarked;
