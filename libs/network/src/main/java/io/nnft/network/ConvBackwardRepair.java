package io.nnft.network;

import ai.djl.ndarray.NDManager;

import java.util.Locale;

/**
 * Whether {@link Convolution} pads output channels in training (see there why). Setting: system property
 * {@value #PROPERTY} or environment variable {@value #ENV}:
 * <ul>
 *   <li>{@code auto} (default): on when a probe finds this machine's float32 conv input gradient wrong — a 4→4
 *       3×3×3 conv, batch 2, the smallest case of the measured failure — so unaffected machines pay nothing;</li>
 *   <li>{@code on}: always (what the tests force, so the repaired path is checked on every machine);</li>
 *   <li>{@code off}: never (for measuring the raw kernels).</li>
 * </ul>
 * A plan whose own shapes fail the check while the repair is off switches it on ({@link #enable}).
 */
public final class ConvBackwardRepair {
    public static final String PROPERTY = "nnft.conv-backward-repair";
    public static final String ENV = "NNFT_CONV_BACKWARD_REPAIR";

    private static volatile Boolean active;
    private static volatile String reason;

    private ConvBackwardRepair() {
    }

    public static boolean active() {
        Boolean a = active;
        if (a == null) {
            synchronized (ConvBackwardRepair.class) {
                if (active == null) {
                    decide();
                }
                a = active;
            }
        }
        return a;
    }

    /** Why the repair is on or off, for doctor and logs. */
    public static String reason() {
        active();
        return reason;
    }

    public static String mode() {
        String v = System.getProperty(PROPERTY, System.getenv(ENV));
        String mode = v == null || v.isBlank() ? "auto" : v.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("on") && !mode.equals("off")) {
            throw new IllegalArgumentException(PROPERTY + " / " + ENV + ": expected auto, on or off, found '" + v + "'");
        }
        return mode;
    }

    /** Turns the repair on for the rest of this JVM (a self-check found a wrong gradient without it). */
    public static synchronized void enable(String why) {
        active = true;
        reason = why;
    }

    private static void decide() {
        switch (mode()) {
            case "on" -> {
                active = true;
                reason = "forced on (" + PROPERTY + ")";
            }
            case "off" -> {
                active = false;
                reason = "forced off (" + PROPERTY + ")";
            }
            default -> {
                GradientCheck.Outcome probe = probe();
                active = !probe.ok();
                reason = probe.ok() ? "auto: not needed here (probe " + String.format("%.1e", probe.worstRelError()) + ")"
                        : "auto: this machine's conv input gradient is wrong without it (" + probe + ")";
            }
        }
    }

    /** Runs {@code body} with the repair on or off on every thread, then restores the previous choice. */
    public static synchronized <T> T with(boolean on, java.util.function.Supplier<T> body) {
        boolean previous = active();
        String previousReason = reason;
        active = on;
        reason = on ? "on for a check" : "off for a check";
        try {
            return body.get();
        } finally {
            active = previous;
            reason = previousReason;
        }
    }

    /** The measured failure's smallest case, unrepaired. */
    public static GradientCheck.Outcome probe() {
        try (NDManager m = Networks.engine().newBaseManager()) {
            return GradientCheck.conv(m,
                    new GradientCheck.ConvShape(2, 4, 4, new int[] {3, 3, 3}, new int[] {1, 1, 1}, "probe"), false, 1);
        }
    }
}
