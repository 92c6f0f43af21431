using System.Reflection;
using System.Text;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Registry;
using MovieRecommender.Testing;
using Orleans.CodeGeneration;

namespace MovieRecommender.Serving.Tests.Hosting;

/// <summary>
/// The grain interface versioning rule (docs/cluster.md, "Rolling restarts and upgrades"), where a machine can check
/// it, against <c>grain-contracts.txt</c>, the contracts of the build before: every grain interface carries
/// <see cref="VersionAttribute"/>; a method of the recorded version is never removed or changed, and an interface that
/// gains a method has a higher version; a serialized type keeps each recorded <c>[Id(n)]</c> on the same member of the
/// same type (new ids may be added, none reused or renumbered), and an enum keeps each recorded value. A compatible
/// change fails too until the file records it, so that the next change is checked against it:
/// <c>GRAIN_CONTRACTS_WRITE=1 dotnet test tests/Serving.Tests --filter GrainContracts</c> writes it.
/// </summary>
public sealed class GrainContractsTests
{
    private static readonly Assembly[] Assemblies = [typeof(IUserGrain).Assembly, typeof(ActiveModelNotifications).Assembly];

    private static string ContractFile => Path.Combine(RepositoryRoot.Path, "tests", "Serving.Tests", "Hosting", "grain-contracts.txt");

    [Fact]
    public void EveryGrainInterfaceHasAVersionAndEverySerializedTypeUniqueIds()
    {
        var interfaces = GrainInterfaces().ToArray();
        Assert.True(interfaces.Length >= 10, $"only {interfaces.Length} grain interfaces found");
        var unversioned = interfaces.Where(i => i.GetCustomAttribute<VersionAttribute>() is null).Select(i => i.FullName).ToArray();
        Assert.True(unversioned.Length == 0, $"grain interfaces without [Version(n)]: {string.Join(", ", unversioned)}");

        var duplicates = SerializedTypes().SelectMany(t => Ids(t).GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"{t.FullName}: [Id({g.Key})] on {string.Join(" and ", g.Select(m => m.Member))}")).ToArray();
        Assert.True(duplicates.Length == 0, $"ids used twice: {string.Join("; ", duplicates)}");
    }

    [Fact]
    public void ContractsOnlyGrowFromTheRecordedOnes()
    {
        var current = Contracts();
        var write = Environment.GetEnvironmentVariable("GRAIN_CONTRACTS_WRITE") == "1";
        if (!File.Exists(ContractFile) && write) File.WriteAllText(ContractFile, Render(current));
        var recorded = Parse(File.ReadAllLines(ContractFile));
        var faults = new List<string>();
        foreach (var (name, was) in recorded)
        {
            if (!current.TryGetValue(name, out var now))
            {
                faults.Add($"{name} is gone: a grain interface or serialized type of the previous build must stay while a silo of it may still call or store it.");
                continue;
            }
            var removed = was.Lines.Except(now.Lines).ToArray();
            if (removed.Length > 0)
                faults.Add($"{name}: {string.Join("; ", removed)} is gone or changed. Methods are only added (a changed one is a new method beside the old), and an [Id(n)] or enum value is never reused or renumbered.");
            if (was.Version is { } before && now.Version is { } version)
            {
                if (version < before) faults.Add($"{name}: version {version} is below the recorded {before}.");
                else if (now.Lines.Except(was.Lines).Any() && version == before)
                    faults.Add($"{name}: it gained {string.Join("; ", now.Lines.Except(was.Lines))} but is still [Version({version})]: raise it to {before + 1}, so that only silos with the method are sent calls of it.");
            }
        }
        Assert.True(faults.Count == 0, $"{faults.Count} incompatible grain contract change(s):\n{string.Join('\n', faults)}");
        // Only a compatible change is recorded.
        if (write) File.WriteAllText(ContractFile, Render(current));
        Assert.True(Render(current) == File.ReadAllText(ContractFile),
            "The grain contracts grew (compatibly) since tests/Serving.Tests/Hosting/grain-contracts.txt was written: record them with GRAIN_CONTRACTS_WRITE=1 dotnet test tests/Serving.Tests -c Release --filter GrainContracts, and commit the file.");
    }

    private sealed record Contract(string Kind, int? Version, IReadOnlyList<string> Lines);

    private static IEnumerable<Type> GrainInterfaces() => Assemblies.SelectMany(a => a.GetTypes())
        .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && t.Namespace?.StartsWith("MovieRecommender", StringComparison.Ordinal) == true);

    private static IEnumerable<Type> SerializedTypes() => Assemblies.SelectMany(a => a.GetTypes())
        .Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null);

    private static IEnumerable<(uint Id, string Member)> Ids(Type type) =>
        type.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m is FieldInfo or PropertyInfo)
            .Select(m => (Attribute: m.GetCustomAttribute<IdAttribute>(), Member: m))
            .Where(p => p.Attribute is not null)
            .Select(p => (p.Attribute!.Id, $"{p.Member.Name}: {Name(p.Member is FieldInfo f ? f.FieldType : ((PropertyInfo)p.Member).PropertyType)}"));

    private static SortedDictionary<string, Contract> Contracts()
    {
        var contracts = new SortedDictionary<string, Contract>(StringComparer.Ordinal);
        foreach (var i in GrainInterfaces())
        {
            var methods = i.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly).Where(m => m.IsAbstract)
                .Select(m => $"{Name(m.ReturnType)} {m.Name}({string.Join(", ", m.GetParameters().Select(p => Name(p.ParameterType)))})")
                .Order(StringComparer.Ordinal).ToArray();
            contracts[i.FullName!] = new Contract("interface", i.GetCustomAttribute<VersionAttribute>()?.Version, methods);
        }
        foreach (var t in SerializedTypes())
        {
            var lines = t.IsEnum
                ? Enum.GetNames(t).Select(n => $"{n} = {Convert.ToInt64(Enum.Parse(t, n), System.Globalization.CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal).ToArray()
                : Ids(t).OrderBy(m => m.Id).Select(m => $"[Id({m.Id})] {m.Member}").ToArray();
            contracts[t.FullName!] = new Contract(t.IsEnum ? "enum" : "serialized", null, lines);
        }
        return contracts;
    }

    private static string Name(Type type)
    {
        if (type.IsArray) return Name(type.GetElementType()!) + "[]";
        if (Nullable.GetUnderlyingType(type) is { } inner) return Name(inner) + "?";
        if (!type.IsGenericType) return type.Name;
        return $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }

    private static string Render(IReadOnlyDictionary<string, Contract> contracts)
    {
        var text = new StringBuilder();
        text.Append("# The grain contracts of this build: grain interfaces with their [Version] and methods, serialized types with their\n")
            .Append("# [Id(n)] members, enums with their values. GrainContractsTests checks the build against it (docs/cluster.md,\n")
            .Append("# \"Rolling restarts and upgrades\"); GRAIN_CONTRACTS_WRITE=1 rewrites it once a change is compatible.\n");
        foreach (var (name, contract) in contracts)
        {
            text.Append(contract.Kind).Append(' ').Append(name);
            if (contract.Version is { } version) text.Append(" v").Append(version);
            text.Append('\n');
            foreach (var line in contract.Lines) text.Append("  ").Append(line).Append('\n');
        }
        return text.ToString();
    }

    private static Dictionary<string, Contract> Parse(IEnumerable<string> lines)
    {
        var contracts = new Dictionary<string, Contract>(StringComparer.Ordinal);
        string? name = null;
        foreach (var line in lines.Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith("  ", StringComparison.Ordinal))
            {
                ((List<string>)contracts[name!].Lines).Add(line[2..]);
                continue;
            }
            var parts = line.Split(' ');
            name = parts[1];
            int? version = parts.Length > 2 && parts[2].StartsWith('v') ? int.Parse(parts[2][1..], System.Globalization.CultureInfo.InvariantCulture) : null;
            contracts[name] = new Contract(parts[0], version, new List<string>());
        }
        return contracts;
    }
}
