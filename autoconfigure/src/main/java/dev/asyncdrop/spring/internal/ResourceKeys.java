package dev.asyncdrop.spring.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Matches the keys of {@code async-drop.resources.<bean>} to the beans of a plan as loosely as Spring Boot binds
 * property names: ignoring case, {@code -} and {@code _}. Spring Boot keeps a map key as its property source spells
 * it, so an environment variable {@code ASYNCDROP_RESOURCES_MYPOOL_TIMEOUT} arrives as key {@code mypool} while the
 * bean is {@code myPool}; and it binds every key that differs only so to the same merged settings, each property
 * taken from the source that takes precedence, so which of those keys is read does not matter.
 * <p>
 * A key names the bean whose name it equals in that loose sense. Where several beans have names that differ only so,
 * a key must name one of them exactly, and no other key may differ from it only so, since Spring Boot merges those
 * keys: otherwise the key is ambiguous. Immutable; built and read by one thread.
 */
final class ResourceKeys {

    /** Settings by plan name. */
    private final Map<String, DropSettings.ResourceSettings> byBean = new HashMap<>();

    /** The keys that name no bean. */
    private final List<String> unmatched = new ArrayList<>();

    /** The keys that name several beans, with those beans. */
    private final Map<String, List<String>> ambiguous = new LinkedHashMap<>();

    private ResourceKeys() {
    }

    /**
     * Matches configured keys to beans.
     * @param configured the settings by key, as bound
     * @param planNames the plan names of the beans
     * @return the match
     */
    static ResourceKeys match(Map<String, DropSettings.ResourceSettings> configured, Collection<String> planNames) {
        ResourceKeys keys = new ResourceKeys();
        if (configured.isEmpty()) {
            return keys;
        }
        Map<String, List<String>> beansByLooseName = new HashMap<>();
        for (String name : planNames) {
            beansByLooseName.computeIfAbsent(loose(name), key -> new ArrayList<>(1)).add(name);
        }
        Map<String, Integer> keysByLooseName = new HashMap<>();
        configured.keySet().forEach(key -> keysByLooseName.merge(loose(key), 1, Integer::sum));
        configured.forEach((key, settings) -> {
            List<String> candidates = beansByLooseName.getOrDefault(loose(key), List.of());
            if (candidates.size() == 1) {
                keys.byBean.put(candidates.get(0), settings);
            }
            else if (candidates.isEmpty()) {
                keys.unmatched.add(key);
            }
            else if (candidates.contains(key) && keysByLooseName.get(loose(key)) == 1) {
                keys.byBean.put(key, settings);
            }
            else {
                keys.ambiguous.put(key, List.copyOf(candidates));
            }
        });
        return keys;
    }

    /**
     * @param name a bean or key name
     * @return the name as Spring Boot compares property names: lower case, without {@code -} and {@code _}
     */
    static String loose(String name) {
        StringBuilder loose = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_') {
                loose.append(c);
            }
        }
        return loose.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * @param planName a bean's plan name
     * @return its settings, or {@code null} if no key names it
     */
    DropSettings.@Nullable ResourceSettings of(String planName) {
        return byBean.get(planName);
    }

    /** @return the keys that name no bean of the plan, in configuration order */
    List<String> unmatched() {
        return List.copyOf(unmatched);
    }

    /** @return the keys that name several beans of the plan, with those beans, in configuration order */
    Map<String, List<String>> ambiguous() {
        return new LinkedHashMap<>(ambiguous);
    }
}
