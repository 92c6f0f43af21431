using System.Runtime.InteropServices;
using MovieRecommender.Trainer.Training;

namespace MovieRecommender.Trainer.Tests;

/// <summary>The wait settings must reach the C library's environment (libgomp reads that, not .NET's), and a user's own choice stays.</summary>
public sealed class OpenMpWaitPolicyTests
{
    [Fact]
    public void SetsAShortSpinThenSleepInTheCEnvironmentUnlessTheUserChose()
    {
        var chosenByUser = OpenMpWaitPolicy.Settings.Any(s => Environment.GetEnvironmentVariable(s.Key) is not null);
        var before = OpenMpWaitPolicy.Settings.Select(s => CEnvironment(s.Key)).ToArray();

        OpenMpWaitPolicy.Apply();

        var after = OpenMpWaitPolicy.Settings.Select(s => CEnvironment(s.Key)).ToArray();
        if (chosenByUser)
            Assert.Equal(before, after);
        else
            Assert.Equal(new string?[] { "PASSIVE", "1000" }, after);
    }

    private static string? CEnvironment(string name) => Marshal.PtrToStringUTF8(GetEnv(name));

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
