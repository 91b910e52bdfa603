package io.codelabs;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shape of the code: four verticle packages that are peers and talk only over the bus, one bus contract, small
 * library packages, and the launcher in the root package on top of them all.
 */
@DisplayName("Package architecture")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchitectureTest {
  private static final String ROOT = "io.codelabs";
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);
  }

  private static String inside(String name) {
    return ROOT + "." + name + "..";
  }

  @ParameterizedTest(name = "only the launcher depends on {0}")
  @ValueSource(strings = {"api", "bridge", "persistence", "uploads", "webhooks"})
  void onlyTheLauncherDependsOnAVerticle(String verticle) {
    noClasses().that().resideOutsideOfPackages(inside(verticle), ROOT)
      .should().dependOnClassesThat().resideInAPackage(inside(verticle))
      .because("the verticles are peers that talk over the bus, and shared code lives in library packages")
      .check(classes);
  }

  @Test
  @DisplayName("the bus contract depends on no other package of ours")
  void busIsSelfContained() {
    classes().that().resideInAPackage(inside("bus"))
      .should().onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..").or(resideInAPackage(inside("bus"))))
      .check(classes);
  }

  @Test
  @DisplayName("only the persistence verticle touches java.sql")
  void onlyPersistenceTouchesSql() {
    noClasses().that().resideOutsideOfPackage(inside("persistence"))
      .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
      .check(classes);
  }

  @Test
  @DisplayName("nothing depends on the launcher")
  void nothingDependsOnTheLauncher() {
    noClasses().that().resideOutsideOfPackage(ROOT)
      .should().dependOnClassesThat().resideInAPackage(ROOT)
      .check(classes);
  }

  @Test
  @DisplayName("no package cycles")
  void noPackageCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }
}
