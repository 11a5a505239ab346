package io.nnft.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes tiny nnU-Net raw datasets with our NIfTI writer, for tests. */
final class SyntheticDataset {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path root;
    final String ending;

    SyntheticDataset(Path root, String ending) throws IOException {
        this.root = root;
        this.ending = ending;
        Files.createDirectories(root.resolve("imagesTr"));
        Files.createDirectories(root.resolve("labelsTr"));
    }

    /** dataset.json with channels "CT", "MR", ... and labels background/a/b/... = 0..labels-1. */
    ObjectNode datasetJson(int channels, int labels, int numTraining) throws IOException {
        ObjectNode j = JSON.createObjectNode();
        ObjectNode ch = j.putObject("channel_names");
        for (int c = 0; c < channels; c++) {
            ch.put(String.valueOf(c), "ch" + c);
        }
        ObjectNode l = j.putObject("labels");
        l.put("background", 0);
        for (int i = 1; i < labels; i++) {
            l.put("class" + i, i);
        }
        j.put("numTraining", numTraining);
        j.put("file_ending", ending);
        j.put("overwrite_image_reader_writer", "SimpleITKIO");
        writeJson(j);
        return j;
    }

    void writeJson(ObjectNode j) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(root.resolve("dataset.json").toFile(), j);
    }

    /** An int16 image whose value at (z,y,x) is z + y + x + 100 * channel. */
    static NiftiImage image(int[] shape, double[] spacing, int channel) {
        int n = shape[0] * shape[1] * shape[2];
        short[] v = new short[n];
        for (int z = 0, i = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++, i++) {
                    v[i] = (short) (z + y + x + 100 * channel);
                }
            }
        }
        return NiftiImage.of(NdArray.ofShorts(new long[] {shape[0], shape[1], shape[2]}, v), spacing);
    }

    /** A uint8 label map with voxel i holding i % labels. */
    static NiftiImage label(int[] shape, double[] spacing, int labels) {
        int n = shape[0] * shape[1] * shape[2];
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % labels));
        }
        b.flip();
        return NiftiImage.of(new NdArray(DType.UINT8, new long[] {shape[0], shape[1], shape[2]}, b), spacing);
    }

    /** A float32 image with the given values. */
    static NiftiImage floats(int[] shape, double[] spacing, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return NiftiImage.of(new NdArray(DType.FLOAT32, new long[] {shape[0], shape[1], shape[2]}, b), spacing);
    }

    Path imageFile(String id, int channel) {
        return root.resolve("imagesTr").resolve(String.format("%s_%04d%s", id, channel, ending));
    }

    Path labelFile(String id) {
        return root.resolve("labelsTr").resolve(id + ending);
    }

    /** A consistent case: every channel and a label of the same grid. */
    void writeCase(String id, int channels, int labels, int[] shape, double[] spacing) throws IOException {
        for (int c = 0; c < channels; c++) {
            Nifti.write(imageFile(id, c), image(shape, spacing, c));
        }
        Nifti.write(labelFile(id), label(shape, spacing, labels));
    }
}
