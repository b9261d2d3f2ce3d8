using System.Reflection;
using System.Reflection.Emit;

namespace Concordat.Architecture.Tests;

/// <summary>
/// Security: the noise samplers in <c>Concordat.Privacy.Noise</c> use integers and exact rationals only. A
/// floating-point step anywhere in the sampling path would bring back the leak Mironov (2012) shows in floating-point
/// Laplace noise, so the test reads every method's IL for a <c>float</c> or <c>double</c>: in a signature, a local,
/// a field, a constant, a conversion, or a member it calls.
/// </summary>
public sealed class NoiseSamplingTests
{
    private const string SamplingNamespace = "Concordat.Privacy.Noise";

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private static readonly HashSet<short> s_floatingPointOpCodes =
        [OpCodes.Ldc_R4.Value, OpCodes.Ldc_R8.Value, OpCodes.Conv_R4.Value, OpCodes.Conv_R8.Value, OpCodes.Conv_R_Un.Value];

    [Fact]
    public void NoiseSamplers_UseNoFloatingPoint()
    {
        var types = typeof(Concordat.Core.Diagnostic).Assembly.GetTypes()
            .Where(type => type.Namespace == SamplingNamespace)
            .ToList();

        var findings = types.SelectMany(FindFloatingPoint).ToList();

        Assert.Contains(types, type => type.Name == "DiscreteGaussian");
        Assert.True(findings.Count == 0, string.Join("; ", findings));
    }

    [Fact]
    public void FindFloatingPoint_TypeUsingDouble_ReportsIt()
    {
        var findings = FindFloatingPoint(typeof(UsesDouble)).ToList();

        Assert.Contains(findings, finding => finding.Contains("Halve", StringComparison.Ordinal));
        Assert.Contains(findings, finding => finding.Contains("Round", StringComparison.Ordinal));
    }

    private static IEnumerable<string> FindFloatingPoint(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(All).Where(field => IsFloatingPoint(field.FieldType)))
        {
            yield return $"{type.Name}.{field.Name}: field of type {field.FieldType.Name}";
        }

        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            foreach (var finding in FindFloatingPoint(method))
            {
                yield return $"{type.Name}.{method.Name}: {finding}";
            }
        }
    }

    private static IEnumerable<string> FindFloatingPoint(MethodBase method)
    {
        if (method is MethodInfo info && IsFloatingPoint(info.ReturnType))
        {
            yield return "returns floating point";
        }

        if (method.GetParameters().Any(parameter => IsFloatingPoint(parameter.ParameterType)))
        {
            yield return "takes floating point";
        }

        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }

        if (body.LocalVariables.Any(local => IsFloatingPoint(local.LocalType)))
        {
            yield return "has a floating-point local";
        }

        var il = body.GetILAsByteArray() ?? [];
        var position = 0;
        while (position < il.Length)
        {
            var value = il[position] == 0xFE ? (short)(0xFE00 | il[position + 1]) : il[position];
            var code = s_opCodes[value];
            position += code.Size;
            if (s_floatingPointOpCodes.Contains(code.Value))
            {
                yield return $"uses {code.Name}";
            }

            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok or OperandType.InlineType)
            {
                var token = BitConverter.ToInt32(il, position);
                var member = Resolve(method, token);
                if (member is not null && Mentions(member))
                {
                    yield return $"refers to {member.DeclaringType?.Name}.{member.Name}";
                }
            }

            position += OperandSize(code, il, position);
        }
    }

    private static MemberInfo? Resolve(MethodBase method, int token)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        return method.Module.ResolveMember(token, typeArguments, methodArguments);
    }

    private static bool Mentions(MemberInfo member) => member switch
    {
        MethodInfo method => IsFloatingPoint(method.ReturnType) || method.GetParameters().Any(p => IsFloatingPoint(p.ParameterType)) || IsFloatingPoint(method.DeclaringType),
        ConstructorInfo constructor => constructor.GetParameters().Any(p => IsFloatingPoint(p.ParameterType)) || IsFloatingPoint(constructor.DeclaringType),
        FieldInfo field => IsFloatingPoint(field.FieldType),
        Type type => IsFloatingPoint(type),
        _ => false,
    };

    private static bool IsFloatingPoint(Type? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.HasElementType)
        {
            return IsFloatingPoint(type.GetElementType());
        }

        return type == typeof(double) || type == typeof(float) || type == typeof(Half) || type == typeof(decimal)
            || (type.IsGenericType && !type.IsGenericTypeDefinition && type.GetGenericArguments().Any(IsFloatingPoint));
    }

    private static int OperandSize(OpCode code, byte[] il, int position) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    private static class UsesDouble
    {
        public static long Halve(long value) => (long)(value * 0.5);

        public static long Round(long value) => (long)Math.Round((double)value);
    }
}
