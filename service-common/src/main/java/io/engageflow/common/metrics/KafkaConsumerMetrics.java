package io.engageflow.common.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/** Quarkus applies every {@link MeterFilter} bean to its registries: the consumers' lag gets its group. */
@ApplicationScoped
public class KafkaConsumerMetrics {
    @Produces
    @Singleton
    MeterFilter consumerGroupTag(Config config) {
        return ConsumerGroupTag.from(config);
    }
}
