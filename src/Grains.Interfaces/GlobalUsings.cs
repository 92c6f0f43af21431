global using Orleans;
global using Orleans.CodeGeneration;
global using Orleans.Concurrency;
