package io.nnft.services.common;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Tracing is off unless an OTLP endpoint is configured: {@code quarkus.otel.sdk.disabled} defaults to true, and to
 * false as soon as {@code quarkus.otel.exporter.otlp.endpoint} (which {@code OTEL_EXPORTER_OTLP_ENDPOINT} sets, see
 * microprofile-config.properties) or {@code quarkus.otel.exporter.otlp.traces.endpoint} has a value. Quarkus alone
 * would export to {@code localhost:4317} and log a connection error per batch on every machine without a collector.
 * The Kafka connector's tracing ({@code mp.messaging.connector.smallrye-kafka.tracing-enabled}) follows: Quarkus'
 * disabled SDK still hands the connector a tracer and a propagator, which would write a {@code traceparent} of spans
 * nobody exports into every record. An explicit setting of either key still wins.
 *
 * <p>An interceptor rather than a property: no configuration expression can turn "a value is present" into a
 * boolean. Its priority puts it above the expression interceptor (it sees {@code ${...}} expanded) and below
 * Quarkus' own fallbacks of the signal-specific exporter keys (so it checks the traces key itself).
 */
@StaticInitSafe
public class TracingDefaults implements ConfigSourceInterceptorFactory {
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String KAFKA_TRACING = "mp.messaging.connector.smallrye-kafka.tracing-enabled";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.traces.endpoint",
            "quarkus.otel.exporter.otlp.endpoint");

    @Override
    public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
        return new ConfigSourceInterceptor() {
            @Override
            public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
                ConfigValue value = context.proceed(name);
                if (!(SDK_DISABLED.equals(name) || KAFKA_TRACING.equals(name)) || isSet(value)) {
                    return value;
                }
                ConfigValue disabled = SDK_DISABLED.equals(name) ? sdkDisabled(context)
                        : getValue(context, SDK_DISABLED);
                boolean off = Boolean.parseBoolean(disabled.getValue());
                return ConfigValue.builder().withName(name)
                        .withValue(Boolean.toString(SDK_DISABLED.equals(name) == off))
                        .withConfigSourceName(disabled.getConfigSourceName())
                        .withConfigSourceOrdinal(Integer.MIN_VALUE + 1).build();
            }

            private ConfigValue sdkDisabled(ConfigSourceInterceptorContext context) {
                String endpoint = ENDPOINTS.stream().map(context::proceed).filter(TracingDefaults::isSet)
                        .map(v -> v.getName() + "=" + v.getValue()).findFirst().orElse(null);
                return ConfigValue.builder().withName(SDK_DISABLED).withValue(Boolean.toString(endpoint == null))
                        .withConfigSourceName(endpoint == null ? "nnft tracing: no OTLP endpoint configured"
                                : "nnft tracing: " + endpoint).build();
            }

            /**
             * The key among the names, set or not: Quarkus hands the SDK's autoconfiguration only the
             * {@code quarkus.otel.*} keys it finds by name (as {@code otel.*}); without it there, autoconfiguration
             * never sees {@code otel.sdk.disabled} and builds the whole SDK although Quarkus' own switch is off.
             */
            @Override
            public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
                Set<String> names = new LinkedHashSet<>();
                context.iterateNames().forEachRemaining(names::add);
                names.add(SDK_DISABLED);
                return names.iterator();
            }
        };
    }

    /** A value someone configured: not blank, and not one of the defaults Quarkus registers for its own keys. */
    static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank() && !value.isDefault();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(Priorities.LIBRARY + 400);
    }
}
