package io.obops.remote;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** sshj stays in io.obops.remote, MINA SSHD in io.obops.sandbox. */
class RemoteBoundariesTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // Only our own classes matter here; resolving every library class they touch takes seconds.
    ArchConfiguration config = ArchConfiguration.get();
    boolean resolve = config.resolveMissingDependenciesFromClassPath();
    config.setResolveMissingDependenciesFromClassPath(false);
    try {
      classes =
          new ClassFileImporter()
              .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
              .importPackages("io.obops");
    } finally {
      config.setResolveMissingDependenciesFromClassPath(resolve);
    }
  }

  @Test
  void onlyTheRemotePackageUsesSshj() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.obops.remote..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("net.schmizz..", "com.hierynomus..")
        .check(classes);
  }

  @Test
  void onlyTheSandboxPackageUsesMinaSshd() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.obops.sandbox..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.sshd..")
        .check(classes);
  }

  @Test
  void remoteDoesNotDependOnTheSandbox() {
    noClasses()
        .that()
        .resideInAPackage("io.obops.remote..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.obops.sandbox..")
        .check(classes);
  }
}
