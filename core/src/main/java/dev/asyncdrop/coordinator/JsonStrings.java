package dev.asyncdrop.coordinator;

import java.util.Locale;

/**
 * The one JSON string escaper of the reports: the library writes its two small JSON formats by hand rather than
 * depend on a JSON library. Thread-safe: stateless.
 */
final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * Appends a JSON string literal: quotes, backslashes, control characters, lone surrogates and the line
     * separators JavaScript rejects in literals escaped, so that any resource name survives a round trip.
     * @param json where to append
     * @param value the string
     */
    static void quote(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
                            && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)));
                    if (Character.isHighSurrogate(c) && !loneSurrogate) {
                        json.append(c).append(value.charAt(++i));
                    }
                    else if (c < 0x20 || loneSurrogate || c == '\u2028' || c == '\u2029' || c == 0x7f) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    }
                    else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
