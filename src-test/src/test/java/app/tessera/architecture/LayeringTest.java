package app.tessera.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering of docs/architecture.md, enforced on the compiled classes of every module. */
@AnalyzeClasses(packages = "app.tessera", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
  /** The engine is usable without a UI: no JavaFX, ControlsFX or desktop-app code in it. */
  @ArchTest
  static final ArchRule engineKnowsNothingOfTheUi =
      noClasses()
          .that()
          .resideInAPackage("app.tessera.engine..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "javafx..",
              "org.controlsfx..",
              "app.tessera.desktop..",
              "app.tessera.cli..",
              "app.tessera.app..");

  /** Spark and Hadoop stay in the scale-out module: the engine and the app never see them. */
  @ArchTest
  static final ArchRule onlyTheSparkModuleUsesSpark =
      noClasses()
          .that()
          .resideInAPackage("app.tessera..")
          .and()
          .resideOutsideOfPackage("app.tessera.spark..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..", "app.tessera.spark..");

  /** Only the code that runs networks imports DJL. */
  @ArchTest
  static final ArchRule onlyNetworkCodeImportsDjl =
      noClasses()
          .that()
          .resideInAPackage("app.tessera..")
          .and()
          .resideOutsideOfPackages(
              "app.tessera.engine.encode..",
              "app.tessera.engine.hashing..",
              "app.tessera.engine.train..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("ai.djl..");

  /** The index, the store and the metrics are plain Java: testable without natives or a UI. */
  @ArchTest
  static final ArchRule indexStoreAndMetricsArePlainJava =
      noClasses()
          .that()
          .resideInAnyPackage(
              "app.tessera.engine.index..",
              "app.tessera.engine.store..",
              "app.tessera.engine.metrics..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "ai.djl..", "org.opencv..", "nu.pattern..", "javafx..", "org.controlsfx..");

  /** OpenCV is ingest's JPEG codec only (NativeJpeg, with an ImageIO fallback), nothing else. */
  @ArchTest
  static final ArchRule onlyIngestUsesOpenCv =
      noClasses()
          .that()
          .resideInAPackage("app.tessera..")
          .and()
          .resideOutsideOfPackage("app.tessera.engine.ingest..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.opencv..", "nu.pattern..");

  /**
   * Front ends (the CLI, the window, the entry point) reach the engine through its API: never the
   * store, ingest or the networks' DJL.
   */
  @ArchTest
  static final ArchRule frontEndsDoNotReachIntoTheEngine =
      noClasses()
          .that()
          .resideInAnyPackage("app.tessera.cli..", "app.tessera.desktop..", "app.tessera.app..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "app.tessera.engine.store..", "app.tessera.engine.ingest..", "ai.djl..");

  /**
   * More strictly, front ends use only the one API ({@code engine.api}), the query and result
   * records ({@code engine.search}) and the shared words of the engine's root package (reports,
   * listeners, states, devices, data folders).
   */
  @ArchTest
  static final ArchRule frontEndsUseOnlyTheApi =
      classes()
          .that()
          .resideInAnyPackage("app.tessera.cli..", "app.tessera.desktop..", "app.tessera.app..")
          .should()
          .onlyDependOnClassesThat(
              resideOutsideOfPackage("app.tessera.engine..")
                  .or(resideInAnyPackage("app.tessera.engine.api", "app.tessera.engine.search"))
                  .or(resideInAPackage("app.tessera.engine")));

  /** All SQL lives in the store: everything else uses its repositories and typed records. */
  @ArchTest
  static final ArchRule onlyTheStoreTouchesJdbc =
      noClasses()
          .that()
          .resideInAPackage("app.tessera..")
          .and()
          .resideOutsideOfPackage("app.tessera.engine.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..");

  /** The engine's packages depend on each other in one direction only: no cycles. */
  @ArchTest
  static final ArchRule enginePackagesFormNoCycles =
      slices().matching("app.tessera.engine.(*)..").should().beFreeOfCycles();

  /** Nor do Tessera's top-level parts (engine, bench, cli, desktop, app). */
  @ArchTest
  static final ArchRule partsFormNoCycles =
      slices().matching("app.tessera.(*)..").should().beFreeOfCycles();

  /** The UI talks to the engine, never the other way; the CLI does not depend on the UI. */
  @ArchTest
  static final ArchRule cliDoesNotDependOnTheUi =
      noClasses()
          .that()
          .resideInAPackage("app.tessera.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("javafx..", "org.controlsfx..", "app.tessera.desktop..");
}
