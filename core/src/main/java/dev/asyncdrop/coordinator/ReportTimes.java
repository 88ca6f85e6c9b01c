package dev.asyncdrop.coordinator;

import java.time.Duration;

/**
 * How the reports write times: decimal numbers with three decimals, the same in every locale. Thread-safe:
 * stateless.
 */
final class ReportTimes {

    private ReportTimes() {
    }

    /** @return the duration in milliseconds with three decimals (microsecond precision) */
    static String millis(Duration duration) {
        return thousandths(duration.toNanos() / 1_000);
    }

    /** @return the duration in microseconds with three decimals (nanosecond precision) */
    static String micros(Duration duration) {
        return thousandths(duration.toNanos());
    }

    private static String thousandths(long value) {
        long whole = value / 1_000;
        long fraction = Math.abs(value % 1_000);
        String sign = value < 0 && whole == 0 ? "-" : "";
        return sign + whole + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction;
    }
}
