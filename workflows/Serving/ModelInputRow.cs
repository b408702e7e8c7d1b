using Microsoft.ML.Data;

namespace Orchestrator.Workflows.Serving;

// The model's input columns depend on the dataset, but a PredictionEngine needs a class: this one has spare typed
// slots, and a SchemaDefinition made per model maps the slots in use to the model's column names.

/// <summary>One model input row: numeric slots N0…N63, text slots S0…S31; unused slots are left out of the schema.</summary>
public sealed class ModelInputRow
{
    public const int Numbers = 64;
    public const int Texts = 32;

    [NoColumn] public float[] N { get; } = new float[Numbers];
    [NoColumn] public ReadOnlyMemory<char>[] S { get; } = new ReadOnlyMemory<char>[Texts];

    public float N0 { get => N[0]; set => N[0] = value; }
    public float N1 { get => N[1]; set => N[1] = value; }
    public float N2 { get => N[2]; set => N[2] = value; }
    public float N3 { get => N[3]; set => N[3] = value; }
    public float N4 { get => N[4]; set => N[4] = value; }
    public float N5 { get => N[5]; set => N[5] = value; }
    public float N6 { get => N[6]; set => N[6] = value; }
    public float N7 { get => N[7]; set => N[7] = value; }
    public float N8 { get => N[8]; set => N[8] = value; }
    public float N9 { get => N[9]; set => N[9] = value; }
    public float N10 { get => N[10]; set => N[10] = value; }
    public float N11 { get => N[11]; set => N[11] = value; }
    public float N12 { get => N[12]; set => N[12] = value; }
    public float N13 { get => N[13]; set => N[13] = value; }
    public float N14 { get => N[14]; set => N[14] = value; }
    public float N15 { get => N[15]; set => N[15] = value; }
    public float N16 { get => N[16]; set => N[16] = value; }
    public float N17 { get => N[17]; set => N[17] = value; }
    public float N18 { get => N[18]; set => N[18] = value; }
    public float N19 { get => N[19]; set => N[19] = value; }
    public float N20 { get => N[20]; set => N[20] = value; }
    public float N21 { get => N[21]; set => N[21] = value; }
    public float N22 { get => N[22]; set => N[22] = value; }
    public float N23 { get => N[23]; set => N[23] = value; }
    public float N24 { get => N[24]; set => N[24] = value; }
    public float N25 { get => N[25]; set => N[25] = value; }
    public float N26 { get => N[26]; set => N[26] = value; }
    public float N27 { get => N[27]; set => N[27] = value; }
    public float N28 { get => N[28]; set => N[28] = value; }
    public float N29 { get => N[29]; set => N[29] = value; }
    public float N30 { get => N[30]; set => N[30] = value; }
    public float N31 { get => N[31]; set => N[31] = value; }
    public float N32 { get => N[32]; set => N[32] = value; }
    public float N33 { get => N[33]; set => N[33] = value; }
    public float N34 { get => N[34]; set => N[34] = value; }
    public float N35 { get => N[35]; set => N[35] = value; }
    public float N36 { get => N[36]; set => N[36] = value; }
    public float N37 { get => N[37]; set => N[37] = value; }
    public float N38 { get => N[38]; set => N[38] = value; }
    public float N39 { get => N[39]; set => N[39] = value; }
    public float N40 { get => N[40]; set => N[40] = value; }
    public float N41 { get => N[41]; set => N[41] = value; }
    public float N42 { get => N[42]; set => N[42] = value; }
    public float N43 { get => N[43]; set => N[43] = value; }
    public float N44 { get => N[44]; set => N[44] = value; }
    public float N45 { get => N[45]; set => N[45] = value; }
    public float N46 { get => N[46]; set => N[46] = value; }
    public float N47 { get => N[47]; set => N[47] = value; }
    public float N48 { get => N[48]; set => N[48] = value; }
    public float N49 { get => N[49]; set => N[49] = value; }
    public float N50 { get => N[50]; set => N[50] = value; }
    public float N51 { get => N[51]; set => N[51] = value; }
    public float N52 { get => N[52]; set => N[52] = value; }
    public float N53 { get => N[53]; set => N[53] = value; }
    public float N54 { get => N[54]; set => N[54] = value; }
    public float N55 { get => N[55]; set => N[55] = value; }
    public float N56 { get => N[56]; set => N[56] = value; }
    public float N57 { get => N[57]; set => N[57] = value; }
    public float N58 { get => N[58]; set => N[58] = value; }
    public float N59 { get => N[59]; set => N[59] = value; }
    public float N60 { get => N[60]; set => N[60] = value; }
    public float N61 { get => N[61]; set => N[61] = value; }
    public float N62 { get => N[62]; set => N[62] = value; }
    public float N63 { get => N[63]; set => N[63] = value; }
    public ReadOnlyMemory<char> S0 { get => S[0]; set => S[0] = value; }
    public ReadOnlyMemory<char> S1 { get => S[1]; set => S[1] = value; }
    public ReadOnlyMemory<char> S2 { get => S[2]; set => S[2] = value; }
    public ReadOnlyMemory<char> S3 { get => S[3]; set => S[3] = value; }
    public ReadOnlyMemory<char> S4 { get => S[4]; set => S[4] = value; }
    public ReadOnlyMemory<char> S5 { get => S[5]; set => S[5] = value; }
    public ReadOnlyMemory<char> S6 { get => S[6]; set => S[6] = value; }
    public ReadOnlyMemory<char> S7 { get => S[7]; set => S[7] = value; }
    public ReadOnlyMemory<char> S8 { get => S[8]; set => S[8] = value; }
    public ReadOnlyMemory<char> S9 { get => S[9]; set => S[9] = value; }
    public ReadOnlyMemory<char> S10 { get => S[10]; set => S[10] = value; }
    public ReadOnlyMemory<char> S11 { get => S[11]; set => S[11] = value; }
    public ReadOnlyMemory<char> S12 { get => S[12]; set => S[12] = value; }
    public ReadOnlyMemory<char> S13 { get => S[13]; set => S[13] = value; }
    public ReadOnlyMemory<char> S14 { get => S[14]; set => S[14] = value; }
    public ReadOnlyMemory<char> S15 { get => S[15]; set => S[15] = value; }
    public ReadOnlyMemory<char> S16 { get => S[16]; set => S[16] = value; }
    public ReadOnlyMemory<char> S17 { get => S[17]; set => S[17] = value; }
    public ReadOnlyMemory<char> S18 { get => S[18]; set => S[18] = value; }
    public ReadOnlyMemory<char> S19 { get => S[19]; set => S[19] = value; }
    public ReadOnlyMemory<char> S20 { get => S[20]; set => S[20] = value; }
    public ReadOnlyMemory<char> S21 { get => S[21]; set => S[21] = value; }
    public ReadOnlyMemory<char> S22 { get => S[22]; set => S[22] = value; }
    public ReadOnlyMemory<char> S23 { get => S[23]; set => S[23] = value; }
    public ReadOnlyMemory<char> S24 { get => S[24]; set => S[24] = value; }
    public ReadOnlyMemory<char> S25 { get => S[25]; set => S[25] = value; }
    public ReadOnlyMemory<char> S26 { get => S[26]; set => S[26] = value; }
    public ReadOnlyMemory<char> S27 { get => S[27]; set => S[27] = value; }
    public ReadOnlyMemory<char> S28 { get => S[28]; set => S[28] = value; }
    public ReadOnlyMemory<char> S29 { get => S[29]; set => S[29] = value; }
    public ReadOnlyMemory<char> S30 { get => S[30]; set => S[30] = value; }
    public ReadOnlyMemory<char> S31 { get => S[31]; set => S[31] = value; }
}

/// <summary>What a multiclass model answers.</summary>
public sealed class MulticlassOutputRow
{
    public ReadOnlyMemory<char> PredictedLabel { get; set; }
    public float[] Score { get; set; } = [];
}

/// <summary>What a binary model answers.</summary>
public sealed class BinaryOutputRow
{
    public bool PredictedLabel { get; set; }
    public float Probability { get; set; }
}

/// <summary>What a regression model answers.</summary>
public sealed class RegressionOutputRow
{
    public float Score { get; set; }
}
