package io.nnft.export;

/**
 * What an export records and adds besides the encoder.
 *
 * @param sourceJob        the nnft job the checkpoint came from (null offline)
 * @param sourceCheckpoint where the checkpoint was read from, as the user knows it (an s3:// URI, a path)
 * @param classifierClasses number of classes of the classification starter; null writes no starter
 * @param classifierSeed   seed of the head's He initialisation (same seed, same head)
 */
public record ExportOptions(String sourceJob, String sourceCheckpoint, Integer classifierClasses, long classifierSeed) {
    public static final long DEFAULT_SEED = 12345L;

    public ExportOptions {
        if (classifierClasses != null && classifierClasses < 1) {
            throw new ExportException("classification starter: expected at least 1 class, found " + classifierClasses);
        }
    }

    /** Encoder, manifest and nnU-Net model folder only. */
    public static ExportOptions of(String sourceCheckpoint) {
        return new ExportOptions(null, sourceCheckpoint, null, DEFAULT_SEED);
    }

    public ExportOptions withJob(String job) {
        return new ExportOptions(job, sourceCheckpoint, classifierClasses, classifierSeed);
    }

    public ExportOptions withClassifierStarter(int classes) {
        return new ExportOptions(sourceJob, sourceCheckpoint, classes, classifierSeed);
    }

    public ExportOptions withClassifierSeed(long seed) {
        return new ExportOptions(sourceJob, sourceCheckpoint, classifierClasses, seed);
    }
}
