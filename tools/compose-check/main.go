// compose-check loads compose files the way `docker compose config` does, with the library
// Docker Compose itself is built on (compose-spec/compose-go): YAML parsing, interpolation,
// validation against the compose-spec JSON schema, normalization and the consistency checks
// (depends_on, networks and volumes that exist). Then every Dockerfile a service builds from is
// read with BuildKit's own parser and instruction checks (what `docker build` runs first), its
// lint warnings counted as errors. Any error exits non-zero; otherwise the normalized model is
// printed as JSON, unless -q is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	var files fileList
	flag.Var(&files, "f", "compose file (repeatable; default: compose.yaml / docker-compose.yml in the working directory)")
	quiet := flag.Bool("q", false, "only validate, print nothing")
	flag.Parse()

	options, err := cli.NewProjectOptions(files,
		cli.WithOsEnv,
		cli.WithDotEnv,
		cli.WithDefaultConfigPath,
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	if err := checkDockerfiles(project); err != nil {
		fail(err)
	}
	if *quiet {
		return
	}
	model, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	fmt.Println(string(model))
}

// checkDockerfiles parses each distinct Dockerfile once; services sharing one (all our apps) share
// the verdict.
func checkDockerfiles(project *types.Project) error {
	users := map[string][]string{}
	for name, service := range project.Services {
		if service.Build == nil || service.Build.DockerfileInline != "" {
			continue
		}
		dockerfile := service.Build.Dockerfile
		if dockerfile == "" {
			dockerfile = "Dockerfile"
		}
		if !filepath.IsAbs(dockerfile) {
			dockerfile = filepath.Join(service.Build.Context, dockerfile)
		}
		users[dockerfile] = append(users[dockerfile], name)
	}
	var problems []error
	for dockerfile, services := range users {
		sort.Strings(services)
		if err := checkDockerfile(dockerfile); err != nil {
			problems = append(problems, fmt.Errorf("%s (built by %s): %w", dockerfile, strings.Join(services, ", "), err))
		}
	}
	return errors.Join(problems...)
}

func checkDockerfile(path string) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	result, err := parser.Parse(file)
	if err != nil {
		return err
	}
	var warnings []string
	for _, warning := range result.Warnings {
		warnings = append(warnings, warning.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, message string, location []parser.Range) {
		line := 0
		if len(location) > 0 {
			line = location[0].Start.Line
		}
		warnings = append(warnings, fmt.Sprintf("line %d: %s: %s", line, rule, message))
	}})
	if _, _, err := instructions.Parse(result.AST, lint); err != nil {
		return err
	}
	if len(warnings) > 0 {
		return errors.New(strings.Join(warnings, "; "))
	}
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-check:", err)
	os.Exit(1)
}
