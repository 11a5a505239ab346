package io.nnft.deploy;

import java.util.Locale;

/**
 * The environment variable that sets a configuration key, as SmallRye Config (Quarkus) maps it: every
 * character that is not a letter or digit becomes '_', and the whole is upper-cased
 * ({@code nnft.storage.access-key} is set by {@code NNFT_STORAGE_ACCESS_KEY}).
 */
final class QuarkusEnv {
    private QuarkusEnv() {
    }

    static String envName(String key) {
        StringBuilder env = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            env.append(Character.isLetterOrDigit(c) ? c : '_');
        }
        return env.toString().toUpperCase(Locale.ROOT);
    }
}
