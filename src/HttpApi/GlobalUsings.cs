// What nearly every file of the HTTP API uses: ASP.NET Core's minimal APIs and the grains they call.
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Routing;
global using MovieRecommender.Grains;
global using MovieRecommender.HttpApi.Problems;
