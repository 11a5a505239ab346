package io.nnft.network;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out each parameter's own array (one device, no copies, so gradients land on the parameter) and
 * records which parameters a forward pass read. libtorch keeps a zeroed gradient on a tensor once it has
 * had one; together with "was used in this forward" that recovers PyTorch's {@code p.grad is None} after
 * {@code zero_grad(set_to_none=True)}.
 */
public final class UsageTrackingParameterStore extends ParameterStore {
    private final Set<String> used = new HashSet<>();

    public UsageTrackingParameterStore(NDManager manager) {
        super(manager, false);
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        NDArray array = parameter.getArray();
        if (!array.getDevice().equals(device)) {
            throw new IllegalStateException("parameter " + parameter.getName() + " lives on " + array.getDevice()
                    + " but the input is on " + device);
        }
        used.add(parameter.getId());
        return array;
    }

    public boolean wasUsed(Parameter parameter) {
        return used.contains(parameter.getId());
    }

    public void clearUsage() {
        used.clear();
    }
}
