package app.tessera.cli;

import app.tessera.engine.PruneReport;
import app.tessera.engine.api.Library;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tessera prune}: forgets files marked missing, and items no file holds any more. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Delete from the library the files marked missing by 'tessera index', and the images (with"
          + " their captions, labels, features and codes) that no file holds any more.",
      "Files on offline folders (unplugged drives) are kept. Image files are never touched."
    })
public final class PruneCommand implements Callable<Integer> {
  @Mixin LibraryOption library;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (Library lib = Library.open(library.existing())) {
      PruneReport pruned = lib.prune();
      spec.commandLine()
          .getOut()
          .printf(
              "pruned %d missing files and %d items (images and their captions)%n",
              pruned.files(), pruned.items());
      return 0;
    }
  }
}
