package app.tessera.cli;

import app.tessera.engine.PathText;
import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values before a command does anything: a value out of range is a usage error
 * (exit 2) whose message gives the valid range; a path that does not exist is "no input" (66).
 */
final class Options {
  private Options() {}

  /** {@code value} of {@code option} is within {@code [min, max]}. */
  static int range(CommandSpec spec, String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParameterException(
          spec.commandLine(),
          option + " must be between " + min + " and " + max + " (got " + value + ")");
    }
    return value;
  }

  /** Code lengths: a multiple of 16 from 16 to 1024 (the packed codes are 64-bit words). */
  static int bits(CommandSpec spec, String option, int bits) {
    range(spec, option, bits, 16, 1024);
    if (bits % 16 != 0) {
      throw new ParameterException(
          spec.commandLine(),
          option + " must be a multiple of 16 between 16 and 1024 (got " + bits + ")");
    }
    return bits;
  }

  /** An existing folder (a model bundle, a dataset). */
  static Path folder(String option, Path folder) {
    if (!Files.exists(folder)) {
      throw new TesseraException(
          Kind.NOT_FOUND, folder, option + ": no such folder: " + PathText.display(folder));
    }
    if (!Files.isDirectory(folder)) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          folder,
          option + ": " + PathText.display(folder) + " is a file, not a folder");
    }
    return folder;
  }

  /** An existing file. */
  static Path file(String option, Path file) {
    if (!Files.exists(file)) {
      throw new TesseraException(
          Kind.NOT_FOUND, file, option + ": no such file: " + PathText.display(file));
    }
    if (Files.isDirectory(file)) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          file,
          option + ": " + PathText.display(file) + " is a folder, not a file");
    }
    return file;
  }
}
