package io.nnft.trainer.service;

import java.nio.file.Path;
import java.time.Instant;

/** What this replica knows about a job it is training right now (for cancel, health, metrics and tests). */
public final class RunningJob {
    private final String jobId;
    private final Path cancelFile;
    private volatile Claim claim;
    private volatile Process worker;
    private volatile Instant lastRenewal;
    private volatile Integer epoch;
    private volatile String device;

    RunningJob(String jobId, Path cancelFile, Claim claim, Instant now) {
        this.jobId = jobId;
        this.cancelFile = cancelFile;
        this.claim = claim;
        this.lastRenewal = now;
    }

    public String jobId() {
        return jobId;
    }

    public Path cancelFile() {
        return cancelFile;
    }

    public Claim claim() {
        return claim;
    }

    void claim(Claim c) {
        claim = c;
    }

    /** The worker process of the current attempt, or null between attempts. */
    public Process worker() {
        return worker;
    }

    void worker(Process p) {
        worker = p;
    }

    public Instant lastRenewal() {
        return lastRenewal;
    }

    void renewed(Instant now) {
        lastRenewal = now;
    }

    public Integer epoch() {
        return epoch;
    }

    void epoch(int e) {
        epoch = e;
    }

    public String device() {
        return device;
    }

    void device(String d) {
        device = d;
    }
}
