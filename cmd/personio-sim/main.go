// Command personio-sim serves a simulated Personio (v1 API and XML job feed).
package main

func main() {}
