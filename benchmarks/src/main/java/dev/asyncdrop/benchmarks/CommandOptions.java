package dev.asyncdrop.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of a benchmark command, checked against the names the command knows, with a
 * message naming the option for each mistake. Immutable once parsed.
 */
public final class CommandOptions {

    private final Map<String, String> values;

    private CommandOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads options.
     * @param args the command's arguments, {@code --name value} pairs
     * @param names the options the command knows, such as {@code --runs}
     * @return the options
     * @throws IllegalArgumentException for an unknown option or one without a value
     */
    public static CommandOptions parse(String[] args, String... names) {
        Set<String> known = Set.of(names);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (!known.contains(option)) {
                throw new IllegalArgumentException("Unknown option '" + option + "': use " + String.join(", ", names));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option '" + option + "' needs a value");
            }
            values.put(option, args[i + 1]);
        }
        return new CommandOptions(values);
    }

    /**
     * @param name an option
     * @param defaultValue its value when not given
     * @param least the least value allowed
     * @return its value
     * @throws IllegalArgumentException when the value is not a number or is too small
     */
    public int intValue(String name, int defaultValue, int least) {
        String text = values.get(name);
        int value = (text != null) ? Integer.parseInt(text) : defaultValue;
        if (value < least) {
            throw new IllegalArgumentException("Option '" + name + "' must be at least " + least + ", was " + value);
        }
        return value;
    }

    /**
     * @param name an option whose value is a comma-separated list
     * @param defaultValue its value when not given
     * @param known the values allowed
     * @return its values
     * @throws IllegalArgumentException when a value is not known
     */
    public List<String> listValue(String name, List<String> defaultValue, Collection<String> known) {
        String text = values.get(name);
        if (text == null) {
            return defaultValue;
        }
        List<String> list = List.of(text.split(","));
        for (String value : list) {
            if (!known.contains(value)) {
                throw new IllegalArgumentException("Option '" + name + "' got unknown '" + value + "': choose from "
                        + known);
            }
        }
        return list;
    }
}
