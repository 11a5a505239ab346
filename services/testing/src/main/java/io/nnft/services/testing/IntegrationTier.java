package io.nnft.services.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The integration tier of a service's {@code @QuarkusTest}s ({@code *IT}, run by failsafe in {@code verify}): a real
 * broker and S3 server ({@link RealKafkaAndS3}) and the config profile {@code it} (services/common: {@code %test}
 * plus what a real broker brings, such as the Kafka readiness check, a build-time key that no test resource can set).
 * The profile travels with the test class, so an IT reads the same run from an IDE, by surefire or by failsafe.
 *
 * <pre>{@code @QuarkusTest @TestProfile(IntegrationTier.class) class PlannerIntakeIT { ... }}</pre>
 */
public class IntegrationTier implements QuarkusTestProfile {
    @Override
    public String getConfigProfile() {
        return "it";
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RealKafkaAndS3.class));
    }
}
