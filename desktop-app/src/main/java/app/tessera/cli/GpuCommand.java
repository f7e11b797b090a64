package app.tessera.cli;

import app.tessera.engine.api.Gpu;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera gpu status|install|remove}: which device training and encoding use and why, and
 * the optional CUDA runtime (a pinned download, only with the user's consent).
 */
@Command(
    name = "gpu",
    mixinStandardHelpOptions = true,
    description = "Where networks run (GPU or CPU, and why); install or remove the CUDA runtime.",
    subcommands = {GpuCommand.Status.class, GpuCommand.Install.class, GpuCommand.Remove.class})
public final class GpuCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tessera gpu status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Say which device training and encoding use, and why.")
  static final class Status implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      Gpu.Status status = Gpu.status(); // starts the engine: the answer is what runs
      out.println("Training and encoding run on: " + status.device());
      out.println("Why: " + status.reason());
      out.println("libtorch: " + status.libtorch());
      out.println(
          "CUDA runtime: "
              + (status.cudaRuntime() != null
                  ? "installed in " + status.cudaRuntime()
                  : "not installed (tessera gpu install)"));
      out.flush();
    }
  }

  /** {@code tessera gpu install [--yes] [--from DIR]}. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = {
        "Download PyTorch's CUDA 12.8 build of libtorch (about 3 GB, from download.pytorch.org)"
            + " into Tessera's data folder, check it against its pinned SHA-256 and unpack it."
            + " An interrupted download resumes when run again. Linux x86-64 with an NVIDIA"
            + " driver for CUDA 12 or newer."
      })
  static final class Install implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--yes", description = "Agree to the download without being asked.")
    boolean yes;

    @Option(
        names = "--from",
        paramLabel = "DIR",
        description =
            "Take the archive from this folder (copied from a machine that downloaded it) instead"
                + " of the network; the same SHA-256 check applies.")
    Path from;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Gpu.supported()) {
        err.println(
            "tessera gpu install: the CUDA runtime is built for Linux x86-64 only; Tessera runs on"
                + " the CPU here.");
        err.flush();
        return ExitCode.USAGE;
      }
      Gpu.Runtime runtime = Gpu.runtime(from);
      out.println(runtime.description());
      out.println("Licence: " + runtime.licence());
      out.println("From: " + runtime.source());
      out.println("Into: " + runtime.into());
      out.flush();
      if (from == null && !yes && !agreed(out)) {
        err.println(
            "tessera gpu install: nothing downloaded. Run it again and answer y, or add --yes.");
        err.flush();
        return ExitCode.USAGE;
      }
      try {
        Path lib =
            Gpu.install(
                from,
                line -> {
                  out.println(line);
                  out.flush();
                });
        out.println("Installed in " + lib + ". Tessera uses the GPU from its next start;");
        out.println("check with: tessera gpu status");
        out.flush();
        return 0;
      } catch (IOException | RuntimeException e) { // a failed download or a bad archive
        err.println("tessera gpu install: " + e.getMessage());
        err.flush();
        return ExitCode.IO;
      }
    }

    /** Asks on the terminal; without one (a script, CI) the answer is no. */
    private static boolean agreed(PrintWriter out) {
      Console console = System.console();
      if (console == null || !console.isTerminal()) {
        return false;
      }
      out.print("Download it now? [y/N] ");
      out.flush();
      try {
        String answer =
            new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()))
                .readLine();
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** {@code tessera gpu remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Delete the CUDA runtime (and any partial download) from Tessera's data folder.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      try {
        spec.commandLine().getOut().println("Removed " + Gpu.remove());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (IOException e) {
        spec.commandLine().getErr().println("tessera gpu remove: " + e.getMessage());
        spec.commandLine().getErr().flush();
        return ExitCode.IO;
      }
    }
  }
}
