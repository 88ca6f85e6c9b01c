package dev.asyncdrop.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.LeakDetection;

/**
 * Fails a JUnit Jupiter test that leaks an {@link AsyncDropGuard}: a guard created during the test and
 * garbage-collected without being dropped or disarmed. The failure names the resource type and the stack that
 * created the guard. Put it on a test class (every test in it, nested classes and subclasses included) or on a
 * test method.
 * <p>
 * During each test, leak detection runs at {@link LeakDetection.Level#PARANOID PARANOID}, and every guard created
 * is watched whatever the level. After the test (after its {@code @AfterEach} methods), the garbage collector is
 * asked to run ({@link System#gc()}) until every guard the test created is dropped, disarmed, reported as a leak, or
 * still reachable after a collection; that wait is bounded (ten seconds at most, typically a few milliseconds). A
 * guard still reachable, for example from a field of the test instance, a static field or a Spring context cached by
 * the TestContext framework, does not fail the test: it may still be dropped later. Then the level the test found is
 * restored. A test whose guards are all dropped or disarmed pays for no garbage collection at all.
 * <p>
 * <b>Which guards belong to a test.</b> Every guard created on any thread from the moment this extension's
 * {@code beforeEach} callback runs until its {@code afterEach} callback runs: the test method, its
 * {@code @BeforeEach} and {@code @AfterEach} methods, and whatever threads they start. Guards created in
 * {@code @BeforeAll} or by tests that ran earlier are not.
 * <p>
 * <b>Parallel test execution.</b> Each leak-detecting test holds the {@link ResourceLock} {@value #RESOURCE_LOCK}
 * in {@link ResourceAccessMode#READ_WRITE READ_WRITE} mode, so two such tests never overlap and a leak is never
 * blamed on a test that merely ran beside the leaking one. Tests without this annotation do not take the lock, and
 * a guard they create while a leak-detecting test runs would count as that test's. Where such tests create guards,
 * give them {@code @ResourceLock(value = DetectLeaks.RESOURCE_LOCK, mode = ResourceAccessMode.READ)}: they still run
 * in parallel with each other, never during a leak-detecting test. Alternatively, mark the leak-detecting classes
 * {@link Isolated @Isolated}.
 * <p>
 * Needs {@code System.gc()} to collect: a JVM started with {@code -XX:+DisableExplicitGC} cannot tell a leaked
 * guard from a reachable one, and a test with undropped guards then fails saying so.
 * <p>
 * Thread-safe: the extension keeps its state in each test's extension context.
 *
 * @since 0.1.0
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DetectLeaksExtension.class)
@ResourceLock(value = DetectLeaks.RESOURCE_LOCK, mode = ResourceAccessMode.READ_WRITE)
public @interface DetectLeaks {

    /**
     * The key of the JUnit resource lock that leak-detecting tests hold exclusively, for tests that create guards
     * without detecting leaks to hold in {@link ResourceAccessMode#READ READ} mode.
     */
    String RESOURCE_LOCK = "dev.asyncdrop.test.DetectLeaks";
}
