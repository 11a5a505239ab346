package io.nnft.storage;

import java.util.regex.Pattern;

/**
 * The one definition of where things live in the bucket.
 *
 * <pre>
 * datasets/&lt;DatasetNNN_Name&gt;/                 nnU-Net raw dataset (dataset.json, imagesTr/, labelsTr/)
 * models/&lt;name&gt;/                              uploaded pretrained model folders (plans.json, fold_N/...)
 * jobs/&lt;jobId&gt;/request.json                    the accepted FineTuneRequested
 * jobs/&lt;jobId&gt;/state.json                      the job ledger entry (status, attempt, owner, lease)
 * jobs/&lt;jobId&gt;/plans/                          dataset.json, dataset_fingerprint.json, nnUNetPlans.json,
 *                                              compatibility_report.json
 * jobs/&lt;jobId&gt;/preprocessed/&lt;configuration&gt;/   &lt;case&gt;.npy, &lt;case&gt;_seg.npy, &lt;case&gt;.json
 * jobs/&lt;jobId&gt;/model/                          an nnU-Net model folder: plans.json, dataset.json, fold_F/checkpoint_*.pth
 * jobs/&lt;jobId&gt;/logs/                           training_log.json, progress.png, stdout of the training process
 * jobs/&lt;jobId&gt;/export/                         encoder.safetensors, encoder.pth, manifest.json, nnunet_model/
 * </pre>
 */
public final class ObjectLayout {
    public static final Pattern JOB_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    private static final Pattern DATASET_NAME = Pattern.compile("^Dataset\\d{3}_[A-Za-z0-9_.-]+$");

    private ObjectLayout() {
    }

    public static String dataset(String datasetName) {
        if (!DATASET_NAME.matcher(datasetName).matches()) {
            throw new InvalidLocationException(datasetName, "is not a dataset name like Dataset001_Name");
        }
        return "datasets/" + datasetName + "/";
    }

    public static String job(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new InvalidLocationException(String.valueOf(jobId), "is not a job id matching " + JOB_ID.pattern());
        }
        return "jobs/" + jobId + "/";
    }

    public static String request(String jobId) {
        return job(jobId) + "request.json";
    }

    public static String state(String jobId) {
        return job(jobId) + "state.json";
    }

    public static String plans(String jobId) {
        return job(jobId) + "plans/";
    }

    public static String preprocessed(String jobId, String configuration) {
        return job(jobId) + "preprocessed/" + configuration + "/";
    }

    public static String model(String jobId) {
        return job(jobId) + "model/";
    }

    public static String logs(String jobId) {
        return job(jobId) + "logs/";
    }

    public static String export(String jobId) {
        return job(jobId) + "export/";
    }

    /** The gateway's record of every event of the job, one object per event (the dashboard's curves and timeline). */
    public static String timeline(String jobId) {
        return job(jobId) + "timeline/";
    }
}
