package io.nnft.deploy;

import java.util.regex.Pattern;

/** What counts as a credential in an environment variable or ConfigMap key. */
final class Secrets {
    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?i).*(SECRET|PASSWORD|PASSWD|ACCESS_KEY|API_KEY|JAAS|TOKEN|ROOT_USER|CREDENTIAL|PRIVATE_KEY).*");

    /** ${NAME:?message} or ${NAME?message}: compose refuses to start without it and there is no default. */
    private static final Pattern REQUIRED_INTERPOLATION = Pattern.compile("^\\$\\{[A-Za-z_][A-Za-z0-9_]*:?\\?[^}]*\\}$");

    private Secrets() {
    }

    static boolean isCredential(String name) {
        return CREDENTIAL.matcher(name).matches();
    }

    static boolean isRequiredInterpolation(String value) {
        return value != null && REQUIRED_INTERPOLATION.matcher(value).matches();
    }
}
