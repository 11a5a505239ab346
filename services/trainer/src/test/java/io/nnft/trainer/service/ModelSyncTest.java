package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.embedded.EmbeddedS3;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-epoch upload sends what changed, never the worker's temporary files. */
class ModelSyncTest {
    @Test
    void uploadsChangedFilesOnlyAndSkipsTemporaryOnes(@TempDir Path tmp) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start("sync-test", "sync-secret-123")) {
            ObjectStore store = new ObjectStore(StorageSettings.of(s3.endpoint(), "sync-test", "sync-secret-123",
                    "nnft-sync"));
            store.ensureBucket();
            Path model = tmp.resolve("model");
            Files.createDirectories(model.resolve("fold_0"));
            Files.writeString(model.resolve("plans.json"), "{}");
            Files.writeString(model.resolve("fold_0/checkpoint_latest.pth"), "epoch-1");
            Files.writeString(model.resolve("fold_0/.checkpoint_latest.pth123.tmp"), "half written");
            ModelSync sync = new ModelSync(store, model, "jobs/j-1/model");

            assertThat(sync.sync()).containsExactly("jobs/j-1/model/fold_0/checkpoint_latest.pth",
                    "jobs/j-1/model/plans.json");
            assertThat(sync.sync()).isEmpty();

            // The worker replaces the checkpoint atomically (temporary file + move), as libs/checkpoint does.
            Path next = model.resolve("fold_0/.next.tmp");
            Files.writeString(next, "epoch-2");
            Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusSeconds(5)));
            Files.move(next, model.resolve("fold_0/checkpoint_latest.pth"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(model.resolve("fold_0/training_log.json"), "[]");
            assertThat(sync.sync()).containsExactly("jobs/j-1/model/fold_0/checkpoint_latest.pth",
                    "jobs/j-1/model/fold_0/training_log.json");
            assertThat(new String(store.getBytes("jobs/j-1/model/fold_0/checkpoint_latest.pth"))).isEqualTo("epoch-2");
            assertThat(store.exists("jobs/j-1/model/fold_0/.checkpoint_latest.pth123.tmp")).isFalse();

            // After a resume the downloaded folder counts as uploaded.
            ModelSync resumed = new ModelSync(store, model, "jobs/j-1/model/");
            resumed.markAllUploaded();
            assertThat(resumed.sync()).isEmpty();
        }
    }
}
