package io.nnft.checkpoint.pickle;

/** {@code torch.device}: nnU-Net stores the training device in {@code init_args['device']}. */
public record TorchDevice(String type, Integer index) {
    public TorchDevice {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("torch.device needs a type such as 'cpu' or 'cuda'");
        }
    }

    public static TorchDevice cpu() {
        return new TorchDevice("cpu", null);
    }

    @Override
    public String toString() {
        return index == null ? type : type + ":" + index;
    }
}
