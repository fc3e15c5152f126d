import Foundation
import TestSupport
import Testing

/// Issue #10, item 4: what an interrupted run leaves behind, and that the next run cleans it up.
@Suite("CLI: interrupted writes")
struct InterruptedWriteCLITests {
    /// `.mcred-staging-<pid>-<16 hex digits>`.
    static func isStaging(_ name: String) -> Bool {
        name.wholeMatch(of: #/\.mcred-staging-[0-9]+-[0-9a-f]{16}/#) != nil
    }

    @Test("kill -9 of sign --out-dir: every final file is whole, old or new; the next run removes the staging folder")
    func killedBatch() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 3000
        let inputs = folder.appendingPathComponent("in")
        let outDir = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        var paths: [String] = []
        var old: [String: Data] = [:]
        for index in 0..<count {
            paths.append(try Samples.write(Samples.credential(index), "c\(index).json", in: inputs))
            if index % 2 == 0 {  // every other output already exists, from an earlier run
                let data = Data("{\"old\": \(index)}\n".utf8)
                try data.write(to: outDir.appendingPathComponent("c\(index).json"))
                old["c\(index).json"] = data
            }
        }
        let process = Process()
        process.executableURL = try CLIHarness.binary()
        process.arguments = ["sign", "--key", Samples.key, "--created", Samples.created, "--out-dir", outDir.path] + paths
        process.currentDirectoryURL = packageRoot()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the run stages its files (its staging folder holds some), then kill it mid-way.
        var sawStaging = false
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            let staging = try FileManager.default.contentsOfDirectory(atPath: outDir.path)
                .filter(Self.isStaging)
            if let name = staging.first,
               let entries = try? FileManager.default.contentsOfDirectory(atPath: outDir.appendingPathComponent(name).path),
               entries.count >= count / 3 {
                sawStaging = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(500)
        }
        process.waitUntilExit()
        #expect(sawStaging, "the run never showed a .mcred-staging-<pid>-<random> folder")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)

        // What the kill left: whole final files (old ones unchanged, new ones verifying) and one staging folder.
        let left = try FileManager.default.contentsOfDirectory(atPath: outDir.path)
        let stale = left.filter(Self.isStaging)
        #expect(stale.count == 1)
        let finals = left.filter { !stale.contains($0) }
        #expect(finals.allSatisfy { $0.wholeMatch(of: #/c[0-9]+\.json/#) != nil }, "stray files: \(finals.filter { !$0.hasSuffix(".json") || $0.hasPrefix(".") })")
        var fresh: [String] = []
        for name in finals {
            let data = try Data(contentsOf: outDir.appendingPathComponent(name))
            if let before = old[name], data == before { continue }
            fresh.append(outDir.appendingPathComponent(name).path)
        }
        if !fresh.isEmpty {
            let verified = try CLIHarness.mcred(["verify", "--at", Samples.at, "--format", "json"] + fresh)
            #expect(verified.status == 0, "\(verified.stderr.prefix(500))")
        }
        // The old files that were not replaced yet are all still there.
        #expect(old.keys.allSatisfy { finals.contains($0) })

        // The next run removes the stale staging folder and writes everything.
        let again = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created, "--out-dir", outDir.path]
                                         + paths)
        #expect(again.status == 0, "\(again.stderr)")
        let after = try FileManager.default.contentsOfDirectory(atPath: outDir.path)
        #expect(after.count == count, "\(after.filter { $0.hasPrefix(".") })")
        #expect(!after.contains { $0.hasPrefix(".") })
    }

    @Test("a staging folder of a running process, or one not named like a staging folder, is left alone")
    func liveStagingKept() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let live = ".mcred-staging-\(getpid())-0123456789abcdef"  // this test process is running
        let dead = ".mcred-staging-999999999-0123456789abcdef"     // above the kernel's pid limit: not running
        let other = ".mcred-staging-keep-me"
        for name in [live, dead, other] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name + "/x"), withIntermediateDirectories: true)
        }
        let credential = try Samples.write(Samples.credential(1), "c.json", in: folder)
        #expect(try CLIHarness.mcred(["sign", "--key", Samples.key, "--out", folder.appendingPathComponent("s.json").path,
                                      credential]).status == 0)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(left == [live, other, "c.json", "s.json"])
    }

    @Test("keygen whose report cannot be written removes the key files it wrote, and keeps the old pair with --force")
    func keygenUnwritableOutput() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("k").path
        let binary = try CLIHarness.binary().path
        let failed = try TestSupport.run(["/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full", binary, "keygen", "--out", prefix])
        #expect(failed.status == 2)
        #expect(failed.errorOutput == "mcred keygen: cannot write to standard output: no space left on device\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])

        #expect(try CLIHarness.mcred(["keygen", "--out", prefix]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: prefix + ".key.pem"))
        let forced = try TestSupport.run(["/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full", binary, "keygen", "--out", prefix,
                                          "--force"])
        #expect(forced.status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: prefix + ".key.pem")) == before)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) == ["k.key.pem", "k.pub.pem"])
    }
}
