package io.nnft.services.common;

import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** The one {@link ObjectStore} of a service, built from {@link StorageConfig}. */
@ApplicationScoped
public class StorageProducer {
    private static final Logger LOG = Logger.getLogger(StorageProducer.class);

    @Produces
    @ApplicationScoped
    ObjectStore objectStore(StorageConfig config) {
        StorageSettings settings = new StorageSettings(config.endpoint(), config.publicEndpoint(), config.region(),
                config.accessKey(), config.secretKey(), config.bucket());
        ObjectStore store = new ObjectStore(settings);
        if (config.createBucket()) {
            store.ensureBucket();
        }
        LOG.infof("object store: %s", settings);
        return store;
    }
}
