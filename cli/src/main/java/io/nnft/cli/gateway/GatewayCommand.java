package io.nnft.cli.gateway;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the gateway. An unreachable or failing gateway ends it with exit code 1 and
 * one message on stderr; a refused request is bad input (exit 2, see {@link GatewayClient}).
 */
abstract class GatewayCommand implements Callable<Integer> {
    @Mixin
    GatewayOptions gatewayOptions;

    @Spec
    CommandSpec spec;

    abstract int run(GatewayClient client) throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return run(gatewayOptions.client());
        } catch (GatewayException e) {
            err().println("error: " + e.getMessage());
            return 1;
        } finally {
            out().flush();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Progress bars on an interactive terminal only; logs and pipes get one line per epoch. */
    static PrintStream barStream(boolean noProgress) {
        return noProgress || System.console() == null ? null : System.err;
    }
}
