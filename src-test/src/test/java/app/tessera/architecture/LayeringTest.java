package app.tessera.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
