package io.obops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The seams of ARCHITECTURE.md, enforced. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.obops");

  @Test
  void theTaskEngineImportsNoSpringWebChatSshOrOtherObopsCapability() {
    noClasses()
        .that()
        .resideInAPackage("io.obops.task..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "jakarta.servlet..",
            "net.dv8tion..",
            "net.schmizz..",
            "com.hierynomus..",
            "org.apache.sshd..",
            "io.obops.api..",
            "io.obops.chat..",
            "io.obops.remote..",
            "io.obops.obcluster..",
            "io.obops.cluster..",
            "io.obops.sandbox..")
        .check(CLASSES);
  }

  @Test
  void jdaIsImportedOnlyByTheDiscordAdapter() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.obops.chat.discord..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("net.dv8tion..")
        .check(CLASSES);
  }

  @Test
  void sshjIsImportedOnlyByTheRemotePackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.obops.remote..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("net.schmizz..", "com.hierynomus..")
        .check(CLASSES);
  }

  @Test
  void onlyTheApiPackageDependsOnSpringWeb() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.obops.api..", "io.obops.chat.web..", "io.obops")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.web..", "jakarta.servlet..")
        .check(CLASSES);
  }
}
