package io.nnft.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A thin client over the MinIO SDK for the one nnft bucket. Streams in and out (large files go up as
 * multipart uploads), presigned GET URLs for users, listing by prefix, and a conditional create for
 * the job ledger. Every failure names the operation and the key.
 */
public final class ObjectStore {
    /** Part size for uploads of unknown length; S3 requires at least 5 MiB. */
    static final long PART_SIZE = 16L << 20;

    private final StorageSettings settings;
    private final MinioClient client;
    private final MinioClient presigner;

    public ObjectStore(StorageSettings settings) {
        this.settings = settings;
        this.client = build(settings.endpoint(), settings);
        this.presigner = settings.publicEndpoint().map(e -> build(e, settings)).orElse(client);
    }

    private static MinioClient build(String endpoint, StorageSettings s) {
        return MinioClient.builder().endpoint(endpoint).credentials(s.accessKey(), s.secretKey())
                .region(s.region()).build();
    }

    public StorageSettings settings() {
        return settings;
    }

    public String bucket() {
        return settings.bucket();
    }

    /** Parses and checks a location against our bucket (see {@link ObjectLocation#parse}). */
    public ObjectLocation locate(String location) {
        return ObjectLocation.parse(location, settings.bucket());
    }

    /** Creates the bucket when it does not exist yet (local mode, tests). */
    public void ensureBucket() {
        call("create bucket", settings.bucket(), () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(settings.bucket()).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(settings.bucket()).build());
            }
            return null;
        });
    }

    public void put(String key, byte[] data, String contentType) {
        put(key, new ByteArrayInputStream(data), data.length, contentType);
    }

    /** Uploads a stream; {@code size} -1 means unknown (multipart with {@link #PART_SIZE} parts). */
    public void put(String key, InputStream in, long size, String contentType) {
        ObjectLocation.checkKey(key, key);
        call("put", key, () -> client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).object(key)
                .stream(in, size, size < 0 ? PART_SIZE : -1).contentType(contentType).build()));
    }

    public void putFile(String key, Path file) {
        ObjectLocation.checkKey(key, key);
        call("upload " + file.getFileName(), key, () -> client.uploadObject(UploadObjectArgs.builder()
                .bucket(settings.bucket()).object(key).filename(file.toString(), PART_SIZE).build()));
    }

    /**
     * Creates the object only if no object has that key ({@code If-None-Match: *}); the basis of the job
     * ledger's claims. Returns false when another writer got there first.
     */
    public boolean putIfAbsent(String key, byte[] data, String contentType) {
        ObjectLocation.checkKey(key, key);
        try {
            client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).object(key)
                    .stream(new ByteArrayInputStream(data), data.length, -1).contentType(contentType)
                    .headers(Map.of("If-None-Match", "*")).build());
            return true;
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("PreconditionFailed".equals(code) || e.response().code() == 412) {
                return false;
            }
            throw failure("conditional put", key, e);
        } catch (Exception e) {
            throw failure("conditional put", key, e);
        }
    }

    /** Opens an object for reading; the caller closes the stream. */
    public InputStream get(String key) {
        return call("get", key, () -> client.getObject(GetObjectArgs.builder().bucket(settings.bucket())
                .object(key).build()));
    }

    public byte[] getBytes(String key) {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    /** Downloads to a file atomically (temp file + move), creating parent folders. */
    public void download(String key, Path file) {
        try (InputStream in = get(key)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw failure("download to " + file.getFileName(), key, e);
        }
    }

    /**
     * Downloads every object below {@code prefix} into {@code dir}, keeping relative paths; returns the
     * files written. A key that would land outside {@code dir} is refused.
     */
    public List<Path> downloadPrefix(String prefix, Path dir) {
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        Path root = dir.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        for (ObjectInfo o : list(p)) {
            Path target = root.resolve(o.key().substring(p.length())).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new InvalidLocationException(o.key(), "would be written outside " + root);
            }
            download(o.key(), target);
            files.add(target);
        }
        return files;
    }

    /** Uploads every regular file below {@code dir} to {@code prefix} + its relative path; returns the keys. */
    public List<String> uploadDirectory(Path dir, String prefix) {
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        List<String> keys = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                String key = p + dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                putFile(key, f);
                keys.add(key);
            }
        } catch (IOException e) {
            throw failure("upload of " + dir.getFileName(), p, e);
        }
        return keys;
    }

    public Optional<ObjectInfo> stat(String key) {
        try {
            StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(settings.bucket())
                    .object(key).build());
            return Optional.of(new ObjectInfo(key, r.size(), r.etag()));
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code) || e.response().code() == 404) {
                return Optional.empty();
            }
            throw failure("stat", key, e);
        } catch (Exception e) {
            throw failure("stat", key, e);
        }
    }

    public boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Every object below a prefix, recursively, in key order. */
    public List<ObjectInfo> list(String prefix) {
        return call("list", prefix, () -> {
            List<ObjectInfo> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(settings.bucket())
                    .prefix(prefix).recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir()) {
                    out.add(new ObjectInfo(item.objectName(), item.size(), item.etag()));
                }
            }
            return out;
        });
    }

    public void delete(String key) {
        call("delete", key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).object(key).build());
            return null;
        });
    }

    /** Deletes every object below a prefix; returns how many. */
    public int deletePrefix(String prefix) {
        List<ObjectInfo> objects = list(prefix);
        objects.forEach(o -> delete(o.key()));
        return objects.size();
    }

    /** A GET URL valid for {@code expiry}, signed for the public endpoint when one is configured. */
    public String presignedGet(String key, Duration expiry) {
        return call("presign", key, () -> presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET).bucket(settings.bucket()).object(key)
                .expiry(Math.toIntExact(expiry.toSeconds())).build()));
    }

    @FunctionalInterface
    private interface MinioCall<T> {
        T run() throws Exception;
    }

    private <T> T call(String operation, String key, MinioCall<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw failure(operation, key, e);
        }
    }

    private StorageException failure(String operation, String key, Exception e) {
        boolean retriable;
        String detail;
        if (e instanceof ErrorResponseException er) {
            int status = er.response().code();
            retriable = status >= 500 || status == 429;
            detail = er.errorResponse().code() + " (HTTP " + status + "): " + er.errorResponse().message();
        } else {
            retriable = e instanceof IOException;
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new StorageException(operation + " of s3://" + settings.bucket() + "/" + key + " at "
                + settings.endpoint() + " failed: " + detail, e, retriable);
    }
}
